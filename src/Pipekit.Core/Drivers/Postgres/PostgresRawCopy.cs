using System.Data;
using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// The PostgreSQL → PostgreSQL fast path: when every source result column has the destination column's type,
/// the bytes of <c>COPY (query) TO STDOUT (FORMAT BINARY)</c> are already valid input for
/// <c>COPY table FROM STDIN (FORMAT BINARY)</c>, so they are streamed across without decoding a value — what a
/// <c>psql \copy | psql \copy</c> pipe does. Type modifiers need not match: the server's binary input functions
/// apply the destination's (numeric scale, varchar length), so a value that does not fit is still rejected.
/// </summary>
internal sealed class PostgresRawCopy
{
    // A chunk the size of Npgsql's 64 KB write buffer (PostgresConnectionString) goes out as about one CopyData
    // message per chunk, without holding the destination server idle while a larger chunk fills.
    private const int ChunkSize = 64 * 1024;
    private const int MinimumRead = 4 * 1024;
    private readonly NpgsqlConnection _source;
    private readonly NpgsqlTransaction? _sourceTransaction;
    private readonly string _sql;
    private readonly NpgsqlConnection _destination;
    private readonly PostgresDialect _dialect;

    public PostgresRawCopy(NpgsqlConnection source, NpgsqlTransaction? sourceTransaction, string sql, NpgsqlConnection destination, PostgresDialect dialect)
    {
        _source = source;
        _sourceTransaction = sourceTransaction;
        _sql = sql.Trim().TrimEnd(';').TrimEnd();
        _destination = destination;
        _dialect = dialect;
    }

    /// <summary>
    /// Copies the rows when the types line up and returns the count; returns null, having touched nothing, when they
    /// do not and the typed path must run instead.
    /// </summary>
    public async Task<long?> TryTransferAsync(BulkWriteTarget target, IProgress<long> rowsWritten, CancellationToken cancellationToken)
    {
        if (!IsQuery(_sql)) return null;
        // The two lookups run on different connections, so they overlap; WhenAll waits for both even when one fails.
        var catalog = (PostgresCatalog)_dialect.Catalog;
        var describing = DescribeAsync(cancellationToken);
        var lookingUp = WriteTargets.QueryAsync(_destination, target.Transaction, catalog.WriteColumns(target.Table),
            r => new PostgresColumnOid(r.GetString(0), r.GetInt64(1)), cancellationToken);
        await Task.WhenAll((Task)describing, lookingUp);
        var sourceColumns = await describing;
        var tableColumns = await lookingUp;
        if (sourceColumns is null) return null;
        if (target.Columns.Count == 0) target = target with { Columns = sourceColumns.Select(c => c.Name).ToList() };
        var columns = WriteTargets.Resolve(target, tableColumns, c => c.Name, sourceColumns.Count);
        for (var i = 0; i < columns.Count; i++)
            if (columns[i].TypeOid != sourceColumns[i].TypeOid) return null;

        // In the caller's transaction (a direct full load after its TRUNCATE) the caller commits or rolls back.
        if (target.Transaction is not null)
            return await CopyAsync(target, columns.Select(c => c.Name), rowsWritten, cancellationToken);
        // Disposing the transaction uncommitted (a failure, a cancellation) rolls the copied rows back.
        await using var transaction = await _destination.BeginTransactionAsync(cancellationToken);
        var rows = await CopyAsync(target, columns.Select(c => c.Name), rowsWritten, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private async Task<long> CopyAsync(BulkWriteTarget target, IEnumerable<string> columns, IProgress<long> rowsWritten, CancellationToken cancellationToken)
    {
        var copyIn = $"COPY {_dialect.QualifyTable(target.Table)} ({string.Join(", ", columns.Select(_dialect.QuoteIdentifier))}) FROM STDIN (FORMAT BINARY)";
        var output = await _destination.BeginRawBinaryCopyAsync(copyIn, cancellationToken);
        NpgsqlRawCopyStream? input = null;
        long rows = 0;
        try
        {
            // The newline keeps a trailing "-- comment" in the query from swallowing the closing parenthesis.
            input = await _source.BeginRawBinaryCopyAsync($"COPY ({_sql}\n) TO STDOUT (FORMAT BINARY)", cancellationToken);
            // A source query may think for minutes before its first row; transfers have no timeout (0 = none).
            input.ReadTimeout = 0;
            output.WriteTimeout = 0;
            // One loop, as a psql pipe's two processes each are: fill a chunk from the export, hand it to the import.
            // The servers still overlap (the source fills its socket buffer while the chunk is written, the
            // destination drains its own while the next is read); a reader task with channels between them cost
            // thread-pool hand-offs and spinning that took CPU from the two servers on a small machine.
            var buffer = new byte[ChunkSize];
            var counter = new BinaryCopyRowCounter();
            while (true)
            {
                // The server sends one CopyData message per row and a read returns at most one, so a chunk takes
                // many reads, most of which complete synchronously from Npgsql's read buffer.
                var length = 0;
                int read;
                while (length < buffer.Length - MinimumRead
                       && (read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
                    length += read;
                if (length == 0) break;
                counter.Consume(buffer.AsSpan(0, length));
                await output.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
                rows = counter.Rows;
                rowsWritten.Report(rows);
            }
            await input.DisposeAsync();
            input = null;
            // Disposing an import stream that was not cancelled ends the COPY; the server checks every row here.
            await output.DisposeAsync();
        }
        catch (PostgresException ex)
        {
            await AbandonAsync(input, output);
            throw PostgresBulkWriter.ServerError(ex, null);
        }
        catch
        {
            await AbandonAsync(input, output);
            throw;
        }
        rowsWritten.Report(rows);
        return rows;
    }

    /// <summary>
    /// COPY (…) takes one query, not any statement: SELECT, WITH, VALUES or TABLE after leading comments, and no
    /// further ';' once trailing ones are trimmed (a second statement, or a comment after the semicolon, would not
    /// fit inside the parentheses; the typed path runs those as they are).
    /// </summary>
    internal static bool IsQuery(string sql)
    {
        if (sql.Trim().TrimEnd(';').Contains(';', StringComparison.Ordinal)) return false;
        var text = sql.AsSpan().TrimStart();
        while (true)
        {
            if (text.StartsWith("--"))
            {
                var end = text.IndexOf('\n');
                text = end < 0 ? [] : text[(end + 1)..].TrimStart();
            }
            else if (text.StartsWith("/*"))
            {
                var end = text.IndexOf("*/");
                text = end < 0 ? [] : text[(end + 2)..].TrimStart();
            }
            else break;
        }
        while (text.StartsWith("(")) text = text[1..].TrimStart();
        foreach (var keyword in (ReadOnlySpan<string>)["SELECT", "WITH", "VALUES", "TABLE"])
            if (text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
                && (text.Length == keyword.Length || !char.IsLetterOrDigit(text[keyword.Length]) && text[keyword.Length] != '_'))
                return true;
        return false;
    }

    /// <summary>Cancels both COPYs so that neither the export runs on nor the import keeps what it received.</summary>
    private static async Task AbandonAsync(NpgsqlRawCopyStream? input, NpgsqlRawCopyStream output)
    {
        foreach (var stream in new[] { output, input })
        {
            if (stream is null) continue;
            try { await stream.CancelAsync(); } catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException) { }
            try { await stream.DisposeAsync(); } catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException) { }
        }
    }

    /// <summary>The query's result columns and type OIDs from a describe-only round trip, or null when it cannot be described.</summary>
    private async Task<List<PostgresColumnOid>?> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_sql, _source, _sourceTransaction);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
        if (reader.FieldCount == 0) return null;
        var columns = new List<PostgresColumnOid>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++) columns.Add(new PostgresColumnOid(reader.GetName(i), reader.GetDataTypeOID(i)));
        return columns;
    }
}
