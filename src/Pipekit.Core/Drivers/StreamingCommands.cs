using System.Data.Common;
using DuckDB.NET.Data;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Provider switches a command needs before it can stream a large result instead of materialising it:
/// DuckDB.NET materialises the whole result unless streaming mode is on, which would make a transfer's
/// memory grow with its row count.
/// </summary>
internal static class StreamingCommands
{
    public static void Configure(DbCommand command)
    {
        if (command is DuckDBCommand duck) duck.UseStreamingMode = true;
    }
}
