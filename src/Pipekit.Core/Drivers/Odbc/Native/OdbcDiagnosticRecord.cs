namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>One SQLGetDiagRec record; <see cref="ColumnNumber"/> is the driver's SQL_DIAG_COLUMN_NUMBER when it knows it (1-based), else null.</summary>
internal sealed record OdbcDiagnosticRecord(string SqlState, int NativeError, string Message, int? ColumnNumber);
