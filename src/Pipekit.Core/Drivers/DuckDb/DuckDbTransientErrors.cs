using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// The DuckDB errors worth a retry: a transaction conflict (two writers touched the same rows or catalog entry; the
/// loser aborts and may try again), a database file locked by another process, and network failures of remote
/// files. Everything else (syntax, binder, constraint, conversion) is terminal.
/// </summary>
internal static class DuckDbTransientErrors
{
    public static bool IsTransient(DuckDBException exception) => exception.ErrorType switch
    {
        DuckDBErrorType.Transaction or DuckDBErrorType.Network or DuckDBErrorType.Http => true,
        // "IO Error: Could not set lock on file …: Conflicting lock is held in … (PID …)"
        DuckDBErrorType.Io => exception.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
