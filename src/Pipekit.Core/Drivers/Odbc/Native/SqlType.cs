namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>ODBC SQL data type codes (what a column or parameter is on the server side).</summary>
internal static class SqlType
{
    public const short Char = 1;
    public const short Numeric = 2;
    public const short Decimal = 3;
    public const short Integer = 4;
    public const short SmallInt = 5;
    public const short Float = 6;
    public const short Real = 7;
    public const short Double = 8;
    // ODBC 2 date/time codes, still reported by some drivers
    public const short Date2 = 9;
    public const short Time2 = 10;
    public const short Timestamp2 = 11;
    public const short VarChar = 12;
    public const short TypeDate = 91;
    public const short TypeTime = 92;
    public const short TypeTimestamp = 93;
    public const short LongVarChar = -1;
    public const short Binary = -2;
    public const short VarBinary = -3;
    public const short LongVarBinary = -4;
    public const short BigInt = -5;
    public const short TinyInt = -6;
    public const short Bit = -7;
    public const short WChar = -8;
    public const short WVarChar = -9;
    public const short WLongVarChar = -10;
    public const short Guid = -11;
}
