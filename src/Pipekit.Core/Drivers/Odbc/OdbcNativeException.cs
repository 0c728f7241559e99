using System.Data.Common;
using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// An error reported by unixODBC or an ODBC driver: the SQLSTATE and message of every diagnostic
/// record, with any known secret (the password) already removed from the text.
/// </summary>
internal sealed class OdbcNativeException : DbException
{
    public OdbcNativeException(string message, string sqlState, IReadOnlyList<OdbcDiagnosticRecord> records)
        : base(message)
    {
        State = sqlState;
        Records = records;
    }

    public override string SqlState => State;

    private string State { get; }

    public IReadOnlyList<OdbcDiagnosticRecord> Records { get; }

    /// <summary>The 1-based column the driver blamed, when it said (SQL_DIAG_COLUMN_NUMBER).</summary>
    public int? ColumnNumber => Records.Select(r => r.ColumnNumber).FirstOrDefault(c => c is not null);

    /// <summary>Reads the diagnostic records of <paramref name="handle"/> after a call returned <paramref name="returnCode"/>.</summary>
    public static OdbcNativeException FromHandle(OdbcHandle handle, short returnCode, Func<string, string>? redact)
    {
        var records = ReadRecords(handle, redact);
        return Create(records, returnCode);
    }

    internal static OdbcNativeException Create(IReadOnlyList<OdbcDiagnosticRecord> records, short returnCode)
    {
        if (records.Count == 0)
        {
            var what = returnCode == OdbcConst.InvalidHandle ? "an invalid handle" : $"return code {returnCode}";
            return new OdbcNativeException($"HY000: the ODBC call failed with {what} and the driver gave no diagnostics", "HY000", records);
        }

        // SQLSTATE class 01 is a warning; when there are real errors the warnings only add noise.
        var shown = records.Any(r => !r.SqlState.StartsWith("01", StringComparison.Ordinal))
            ? records.Where(r => !r.SqlState.StartsWith("01", StringComparison.Ordinal)).ToList()
            : records.ToList();
        var message = string.Join("; ", shown.Select(r => $"{r.SqlState}: {OneLine(r.Message)}").Distinct());
        return new OdbcNativeException(message, shown[0].SqlState, records);
    }

    /// <summary>psqlodbc and others put line breaks in messages; an error is shown on one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static unsafe List<OdbcDiagnosticRecord> ReadRecords(OdbcHandle handle, Func<string, string>? redact)
    {
        var records = new List<OdbcDiagnosticRecord>();
        if (handle.IsInvalid || handle.IsClosed) return records;
        var state = stackalloc char[6];
        var bufferChars = 1024;
        for (short n = 1; n < 64; n++)
        {
            var buffer = new char[bufferChars];
            short rc;
            int native;
            short length;
            fixed (char* message = buffer)
                rc = OdbcApi.SQLGetDiagRecW(handle.HandleType, handle, n, state, out native, message, (short)bufferChars, out length);
            if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo)) break;
            if (length >= bufferChars && bufferChars < short.MaxValue / 2)
            {
                // truncated: ask again for the same record with room for all of it
                bufferChars = Math.Min(short.MaxValue - 1, length + 1);
                n--;
                continue;
            }
            var text = new string(buffer, 0, Math.Min(length, bufferChars - 1));
            if (redact is not null) text = redact(text);
            records.Add(new OdbcDiagnosticRecord(new string(state, 0, 5), native, text, ReadColumnNumber(handle, n)));
        }
        return records;
    }

    private static unsafe int? ReadColumnNumber(OdbcHandle handle, short record)
    {
        if (handle.HandleType != OdbcConst.HandleStmt) return null;
        int column = 0;
        var rc = OdbcApi.SQLGetDiagFieldW(handle.HandleType, handle, record, OdbcConst.DiagColumnNumber, &column, 0, out _);
        return rc is OdbcConst.Success or OdbcConst.SuccessWithInfo && column > 0 ? column : null;
    }
}
