using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Transfer;

/// <summary>
/// Streams a source query's rows into a destination table through the destination driver's bulk writer. Rows
/// are never held: memory stays flat in the row count. Progress is reported at most once a second plus once at
/// the end. Cancellation cancels the source command and rolls the write back before
/// <see cref="OperationCanceledException"/> propagates; any failure leaves the destination as it was.
/// </summary>
public sealed class TransferEngine
{
    private readonly DriverRegistry _drivers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TransferEngine(DriverRegistry drivers, TimeProvider timeProvider, ILogger<TransferEngine>? logger = null)
    {
        _drivers = drivers ?? throw new ArgumentNullException(nameof(drivers));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Opens both connections, transfers, commits and closes them.</summary>
    public async Task<TransferResult> TransferAsync(TransferRequest request, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sourceDriver = _drivers.Resolve(request.Source.Driver, request.Source.Url);
        var destinationDriver = _drivers.Resolve(request.Destination.Driver, request.Destination.Url);
        // Both ends connect at once: a PostgreSQL connection spends a round trip or two loading its type catalog.
        var opening = new[]
        {
            sourceDriver.OpenAsync(request.Source, cancellationToken),
            destinationDriver.OpenAsync(request.Destination, cancellationToken),
        };
        try
        {
            await Task.WhenAll(opening);
        }
        catch
        {
            foreach (var open in opening)
                if (open.IsCompletedSuccessfully) await open.Result.DisposeAsync();
            throw;
        }
        await using var source = opening[0].Result;
        await using var destination = opening[1].Result;
        return await TransferAsync(
            new TransferSource(source, sourceDriver, request.Sql),
            new TransferDestination(destination, destinationDriver, new BulkWriteTarget(request.Table, request.Columns ?? [])),
            progress,
            cancellationToken);
    }

    /// <summary>
    /// Transfers between connections the caller opened; the write commits here, and a failure or cancellation rolls it
    /// back. An empty <see cref="BulkWriteTarget.Columns"/> means the source's column names.
    /// </summary>
    public async Task<TransferResult> TransferAsync(TransferSource source, TransferDestination destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var started = _time.GetTimestamp();
        var throttle = new ProgressThrottle(progress, _time, started);
        _logger.LogDebug("Transfer into {Table} started", destination.Target.Table);
        long rows;
        try
        {
            rows = await RawCopyAsync(source, destination, throttle, cancellationToken)
                   ?? await TypedAsync(source, destination, throttle, cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // A provider reports a cancelled statement its own way (PostgreSQL's 57014, DuckDB's "Interrupted").
            throw new OperationCanceledException("the transfer was cancelled; the destination was rolled back", ex, cancellationToken);
        }
        var elapsed = throttle.Final(rows);
        _logger.LogInformation("Transfer into {Table} wrote {Rows} rows in {ElapsedMs} ms", destination.Target.Table, rows, (long)elapsed.TotalMilliseconds);
        return new TransferResult(rows, elapsed);
    }

    private async Task<long> TypedAsync(TransferSource source, TransferDestination destination, ProgressThrottle throttle, CancellationToken cancellationToken)
    {
        await using var command = source.Connection.CreateCommand();
        command.CommandText = source.Driver is IExactReads exact
            ? await exact.ExactQueryAsync(source.Connection, source.Transaction, source.Sql, cancellationToken)
            : source.Sql;
        command.CommandTimeout = 0;
        command.Transaction = source.Transaction;
        (source.Driver as IStreamingReads)?.PrepareForStreaming(command);
        await using var cancelSource = cancellationToken.Register(static c => CancelQuietly((DbCommand)c!), command);
        await using var reader = await ExecuteStreamingAsync(command, cancellationToken);

        var target = destination.Target.Columns.Count > 0
            ? destination.Target
            : destination.Target with { Columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList() };
        await using var writer = destination.Driver.CreateBulkWriter(destination.Connection, target);
        var rows = await writer.WriteAsync(reader, throttle, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        await writer.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>The destination engine's raw byte path, when it has one and this pair and these column types allow it.</summary>
    private async Task<long?> RawCopyAsync(TransferSource source, TransferDestination destination, ProgressThrottle throttle, CancellationToken cancellationToken)
    {
        if (destination.Driver is not IRawCopy raw) return null;
        var request = new RawCopyRequest(source.Connection, source.Transaction, source.Sql, destination.Connection, destination.Target);
        var rows = await raw.TryRawCopyAsync(request, throttle, cancellationToken);
        _logger.LogDebug(rows is null ? "No raw copy for this pair or these column types; using the typed bulk writer" : "Used the raw copy path");
        return rows;
    }

    /// <summary>SequentialAccess lets providers stream wide rows instead of buffering each; some refuse it.</summary>
    private static async Task<DbDataReader> ExecuteStreamingAsync(DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
    }

    private static void CancelQuietly(DbCommand command)
    {
        try { command.Cancel(); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { /* the token still stops the reader */ }
    }
}
