namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>Settings of the SQL Server bulk writer.</summary>
internal sealed record SqlServerBulkWriterOptions
{
    /// <summary>Seconds the bulk copy may take; 0 (the default) means no limit, as a large load can run for hours.</summary>
    public int BulkCopyTimeoutSeconds { get; init; }

    /// <summary>
    /// Takes a bulk update lock on the table for the load: faster and minimally logged into a heap, but it
    /// blocks readers of the table until the transaction ends.
    /// </summary>
    public bool TableLock { get; init; }

    /// <summary>Rows between progress reports.</summary>
    public int ProgressEvery { get; init; } = 10_000;
}
