using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// Streams rows into a SQL Server table with SqlBulkCopy inside one explicit transaction.
/// </summary>
internal sealed class SqlServerBulkWriter : BulkWriter
{
    private readonly SqlConnection _connection;
    private readonly SqlServerBulkWriterOptions _options;

    public SqlServerBulkWriter(SqlConnection connection, BulkWriteTarget target, SqlServerDialect dialect, SqlServerBulkWriterOptions options)
        : base(connection, target)
    {
        if (target.Columns.Count == 0) throw new ArgumentException($"no columns given for {target.Table}", nameof(target));
        Table = dialect.QualifyTable(target.Table);
        if (target.Table.LinkedServer is not null)
            throw new DriverException($"cannot bulk load {target.Table} through linked server '{target.Table.LinkedServer}'; connect to that server directly");
        _connection = connection;
        _options = options;
    }

    /// <summary>The SqlBulkCopy options every load uses.</summary>
    internal SqlBulkCopyOptions CopyOptions =>
        // KeepIdentity: the source's values are the data, so an IDENTITY column (which SELECT INTO copies
        // onto staging tables) must store them rather than number the rows itself.
        // KeepNulls: a NULL stays NULL rather than becoming the column's default.
        SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls | (_options.TableLock ? SqlBulkCopyOptions.TableLock : 0);

    /// <summary>The destination as the dialect quotes it.</summary>
    private string Table { get; }

    protected override async Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? progress, CancellationToken ct)
    {
        WriteTargets.RequireColumnCount(source, Target, Table);
        using var bulkCopy = new SqlBulkCopy(_connection, CopyOptions, (SqlTransaction?)Transaction)
        {
            DestinationTableName = Table,
            // rows go to the server as they are read, never buffered whole
            EnableStreaming = true,
            BulkCopyTimeout = _options.BulkCopyTimeoutSeconds,
            NotifyAfter = _options.ProgressEvery,
        };
        for (var i = 0; i < Target.Columns.Count; i++)
            bulkCopy.ColumnMappings.Add(i, Target.Columns[i]);

        long copied = 0;
        bulkCopy.SqlRowsCopied += (_, e) =>
        {
            copied = e.RowsCopied;
            progress?.Report(copied);
        };

        try
        {
            await bulkCopy.WriteToServerAsync(source, ct);
        }
        catch (Exception e) when (e is SqlException or InvalidOperationException)
        {
            // SqlClient names the column and row in conversion errors ("… for Column 2 [qty] Row 4"); for
            // others the last progress notification is the best position there is.
            throw new DriverException($"bulk copy into {Table} failed after at least {copied} rows: {e.Message}", e);
        }

        var rows = bulkCopy.RowsCopied64;
        progress?.Report(rows);
        return rows;
    }

}
