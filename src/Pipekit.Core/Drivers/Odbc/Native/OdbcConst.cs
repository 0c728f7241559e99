namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>Numeric constants from unixODBC's sql.h/sqlext.h that Pipekit uses.</summary>
internal static class OdbcConst
{
    // return codes
    public const short Success = 0;
    public const short SuccessWithInfo = 1;
    public const short StillExecuting = 2;
    public const short NeedData = 99;
    public const short NoData = 100;
    public const short Error = -1;
    public const short InvalidHandle = -2;

    // handle types
    public const short HandleEnv = 1;
    public const short HandleDbc = 2;
    public const short HandleStmt = 3;

    // length/indicator values
    public const int NullData = -1;
    public const int NoTotal = -4;
    public const int Nts = -3;

    // attributes
    public const int AttrOdbcVersion = 200;
    public const int OdbcVersion3 = 3;
    public const int AttrAutocommit = 102;
    public const int AutocommitOff = 0;
    public const int AutocommitOn = 1;
    public const int AttrLoginTimeout = 103;
    public const int AttrTxnIsolation = 108;
    public const int AttrQueryTimeout = 0;
    public const int IsUInteger = -5;

    // isolation levels (SQL_TXN_*)
    public const int TxnReadUncommitted = 1;
    public const int TxnReadCommitted = 2;
    public const int TxnRepeatableRead = 4;
    public const int TxnSerializable = 8;

    // SQLEndTran
    public const short Commit = 0;
    public const short Rollback = 1;

    // SQLDriverConnect
    public const ushort DriverNoPrompt = 0;

    // SQLGetInfo
    public const ushort InfoDataSourceName = 2;
    public const ushort InfoDriverName = 6;
    public const ushort InfoServerName = 13;
    public const ushort InfoDatabaseName = 16;
    public const ushort InfoDbmsName = 17;
    public const ushort InfoDbmsVersion = 18;

    // SQLFreeStmt
    public const ushort FreeStmtClose = 0;
    public const ushort FreeStmtResetParams = 3;

    // SQLBindParameter
    public const short ParamInput = 1;

    // SQLColAttribute
    public const ushort DescTypeName = 14;

    // SQLDescribeCol nullability
    public const short NoNulls = 0;

    // SQLGetDiagField
    public const short DiagColumnNumber = -1247;
}
