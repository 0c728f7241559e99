namespace Pipekit.Core.Drivers.MySql;

/// <summary>Settings of the MySQL bulk writer.</summary>
internal sealed record MySqlBulkWriterOptions
{
    public MySqlBulkMode Mode { get; init; } = MySqlBulkMode.Auto;

    /// <summary>Rows in one INSERT statement on the fallback path.</summary>
    public int InsertBatchRows { get; init; } = 1_000;

    /// <summary>
    /// Approximate bytes of values after which an INSERT is sent early, well under the 16 MB
    /// max_allowed_packet MariaDB ships with (MySQL's is 64 MB).
    /// </summary>
    public int InsertBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Rows between progress reports on the LOAD DATA path.</summary>
    public int ProgressEvery { get; init; } = 10_000;

    /// <summary>Seconds a load or an INSERT may take; 0 means no limit.</summary>
    public int TimeoutSeconds { get; init; }
}
