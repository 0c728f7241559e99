using System.Data;
using System.Threading.Channels;
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
    private const int BufferSize = 256 * 1024;
    private const int BuffersInFlight = 4;
    private const int MinimumRead = 16 * 1024;
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
            r => (Name: r.GetString(0), TypeOid: r.GetInt64(1)), cancellationToken);
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
            // Reading and writing run concurrently, as the two ends of a psql pipe do, so that the source server
            // produces while the destination server consumes; a few buffers in flight bound the memory.
            var filled = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(BuffersInFlight) { SingleReader = true, SingleWriter = true });
            var empty = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            for (var i = 0; i < BuffersInFlight + 2; i++) empty.Writer.TryWrite(new byte[BufferSize]);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reading = Task.Run(() => ReadAsync(input, filled.Writer, empty.Reader, stop.Token), stop.Token);
            try
            {
                await foreach (var chunk in filled.Reader.ReadAllAsync(stop.Token))
                {
                    await output.WriteAsync(chunk.Buffer.AsMemory(0, chunk.Length), stop.Token);
                    empty.Writer.TryWrite(chunk.Buffer);
                    rows = chunk.RowsSoFar;
                    rowsWritten.Report(rows);
                }
                await reading;
            }
            catch
            {
                await stop.CancelAsync();
                try { await reading; } catch (Exception) when (stop.IsCancellationRequested) { /* the reader stops because we told it to */ }
                throw;
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

    private static async Task ReadAsync(NpgsqlRawCopyStream input, ChannelWriter<Chunk> filled, ChannelReader<byte[]> empty, CancellationToken cancellationToken)
    {
        var counter = new BinaryCopyRowCounter();
        try
        {
            while (true)
            {
                var buffer = await empty.ReadAsync(cancellationToken);
                // The server sends one CopyData message per row and a read returns at most one, so fill the buffer
                // from many reads (most complete synchronously from Npgsql's read buffer) before handing it over.
                var length = 0;
                int read;
                while (length < buffer.Length - MinimumRead
                       && (read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
                    length += read;
                if (length == 0) break;
                counter.Consume(buffer.AsSpan(0, length));
                await filled.WriteAsync(new Chunk(buffer, length, counter.Rows), cancellationToken);
            }
            filled.Complete();
        }
        catch (Exception ex)
        {
            filled.Complete(ex);
            throw;
        }
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

    private readonly record struct Chunk(byte[] Buffer, int Length, long RowsSoFar);

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
    private async Task<List<(string Name, long TypeOid)>?> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_sql, _source, _sourceTransaction);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
        if (reader.FieldCount == 0) return null;
        return Enumerable.Range(0, reader.FieldCount).Select(i => (reader.GetName(i), (long)reader.GetDataTypeOID(i))).ToList();
    }
}
