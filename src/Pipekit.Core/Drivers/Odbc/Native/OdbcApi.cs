using System.Runtime.InteropServices;

namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>
/// The unixODBC driver-manager entry points Pipekit calls. Strings cross as UTF-16 pointers because
/// unixODBC's SQLWCHAR is a 2-byte unsigned short (not wchar_t), which is exactly .NET's char; the
/// "W" functions therefore take <c>char*</c> and lengths in characters unless noted as bytes.
/// SQLLEN/SQLULEN are 64-bit on this platform, hence <c>nint</c>/<c>nuint</c>.
/// </summary>
internal static unsafe partial class OdbcApi
{
    private const string Library = "libodbc.so.2";

    [LibraryImport(Library)]
    internal static partial short SQLAllocHandle(short handleType, nint inputHandle, out nint outputHandle);

    [LibraryImport(Library)]
    internal static partial short SQLFreeHandle(short handleType, nint handle);

    [LibraryImport(Library)]
    internal static partial short SQLSetEnvAttr(OdbcHandle environment, int attribute, nint value, int stringLength);

    [LibraryImport(Library)]
    internal static partial short SQLSetConnectAttrW(OdbcHandle connection, int attribute, nint value, int stringLength);

    [LibraryImport(Library)]
    internal static partial short SQLDriverConnectW(
        OdbcHandle connection, nint windowHandle, char* inConnectionString, short inLength,
        char* outConnectionString, short outBufferLength, out short outLength, ushort driverCompletion);

    [LibraryImport(Library)]
    internal static partial short SQLDisconnect(nint connection);

    [LibraryImport(Library)]
    internal static partial short SQLGetInfoW(OdbcHandle connection, ushort infoType, void* value, short bufferLengthBytes, out short stringLengthBytes);

    [LibraryImport(Library)]
    internal static partial short SQLEndTran(short handleType, OdbcHandle handle, short completionType);

    [LibraryImport(Library)]
    internal static partial short SQLEndTran(short handleType, nint handle, short completionType);

    [LibraryImport(Library)]
    internal static partial short SQLSetStmtAttrW(OdbcHandle statement, int attribute, nint value, int stringLength);

    [LibraryImport(Library)]
    internal static partial short SQLExecDirectW(OdbcHandle statement, char* text, int textLength);

    [LibraryImport(Library)]
    internal static partial short SQLPrepareW(OdbcHandle statement, char* text, int textLength);

    [LibraryImport(Library)]
    internal static partial short SQLBindParameter(
        OdbcHandle statement, ushort parameterNumber, short inputOutputType, short valueType, short parameterType,
        nuint columnSize, short decimalDigits, void* parameterValue, nint bufferLength, nint* lengthOrIndicator);

    [LibraryImport(Library)]
    internal static partial short SQLExecute(OdbcHandle statement);

    [LibraryImport(Library)]
    internal static partial short SQLNumResultCols(OdbcHandle statement, out short columnCount);

    [LibraryImport(Library)]
    internal static partial short SQLDescribeColW(
        OdbcHandle statement, ushort columnNumber, char* columnName, short bufferLengthChars, out short nameLengthChars,
        out short dataType, out nuint columnSize, out short decimalDigits, out short nullable);

    [LibraryImport(Library)]
    internal static partial short SQLColAttributeW(
        OdbcHandle statement, ushort columnNumber, ushort fieldIdentifier, void* characterAttribute,
        short bufferLengthBytes, out short stringLengthBytes, out nint numericAttribute);

    [LibraryImport(Library)]
    internal static partial short SQLFetch(OdbcHandle statement);

    [LibraryImport(Library)]
    internal static partial short SQLGetData(
        OdbcHandle statement, ushort columnNumber, short targetType, void* targetValue, nint bufferLength, out nint lengthOrIndicator);

    [LibraryImport(Library)]
    internal static partial short SQLRowCount(OdbcHandle statement, out nint rowCount);

    [LibraryImport(Library)]
    internal static partial short SQLMoreResults(OdbcHandle statement);

    [LibraryImport(Library)]
    internal static partial short SQLFreeStmt(OdbcHandle statement, ushort option);

    [LibraryImport(Library)]
    internal static partial short SQLCancel(OdbcHandle statement);

    [LibraryImport(Library)]
    internal static partial short SQLGetDiagRecW(
        short handleType, OdbcHandle handle, short recordNumber, char* sqlState, out int nativeError,
        char* messageText, short bufferLengthChars, out short textLengthChars);

    [LibraryImport(Library)]
    internal static partial short SQLGetDiagFieldW(
        short handleType, OdbcHandle handle, short recordNumber, short diagIdentifier, void* diagInfo,
        short bufferLength, out short stringLength);
}
