using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;
using Pipekit.Query.Results;

namespace Pipekit.Query.Engine;

/// <summary>
/// The query engine of one Pipekit process: one current in-process DuckDB database holding the published views,
/// with a new connection per query so that reads run side by side instead of queueing on one connection (the
/// seed's single-connection design), admission control, a timeout enforced by DuckDB's interrupt, and
/// DuckDB's own parser deciding which statements may run.
/// </summary>
public sealed class QueryEngine : IDisposable
{
    private readonly QueryEngineSettings _settings;
    private readonly Redactor _redactor;
    private readonly ILogger<QueryEngine> _logger;
    private readonly QueryAdmission _admission;
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private QueryDatabase _current;
    private long _generation;

    public QueryEngine(QueryEngineSettings settings, Redactor redactor, ILogger<QueryEngine> logger)
    {
        _settings = settings;
        _redactor = redactor;
        _logger = logger;
        _admission = new QueryAdmission(settings.MaxConcurrent, settings.MaxQueued);
        _current = QueryDatabase.Create(0, settings.Database, [], redactor, settings.BeforeSandbox, CancellationToken.None);
    }

    public QueryEngineSettings Settings => _settings;

    /// <summary>Queries waiting for a slot.</summary>
    public int Waiting => _admission.Waiting;

    /// <summary>How many publishes have been swapped in; 0 before the first.</summary>
    public long Generation => Volatile.Read(ref _current).Generation;

    /// <summary>Connections of the current database kept for the next query.</summary>
    internal int IdleConnections => Volatile.Read(ref _current).IdleConnections;

    /// <summary>The views of the current database and whether each was created.</summary>
    public IReadOnlyList<ViewOutcome> Views => Volatile.Read(ref _current).Outcomes;

    /// <summary>
    /// Builds a new database with exactly <paramref name="views"/> and swaps it in; running queries finish on the
    /// old one. Views that fail are reported in the result and left out; the others are published.
    /// </summary>
    public async Task<IReadOnlyList<ViewOutcome>> PublishAsync(IReadOnlyList<ViewDefinition> views, CancellationToken cancellationToken)
    {
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var generation = Interlocked.Increment(ref _generation);
            var database = await Task.Run(() => QueryDatabase.Create(generation, _settings.Database, views, _redactor, _settings.BeforeSandbox,
                cancellationToken), cancellationToken);
            var old = Interlocked.Exchange(ref _current, database);
            old.Dispose();
            return database.Outcomes;
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>
    /// Starts a read query and returns its result to read forward row by row. Throws <see cref="QueryException"/> for empty SQL,
    /// a statement that is not a single read, or a DuckDB error; <see cref="QueryTimeoutException"/> when it runs past
    /// the timeout; <see cref="QueryBusyException"/> when no slot is free and the queue is full.
    /// </summary>
    public Task<QueryCursor> OpenAsync(string sql, CancellationToken cancellationToken) =>
        OpenAsync(sql, ResultFormat.Json, cancellationToken);

    /// <summary>
    /// Starts a read query for <paramref name="format"/>: an Arrow result is taken from DuckDB as Arrow record batches
    /// (<see cref="QueryCursor.ReadBatchAsync"/>); every other format reads rows. Throws as <see cref="OpenAsync(string, CancellationToken)"/>.
    /// </summary>
    public async Task<QueryCursor> OpenAsync(string sql, ResultFormat format, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sql)) throw new QueryException("the SQL is empty; send {\"sql\": \"SELECT …\"}");
        var arrow = format == ResultFormat.Arrow;
        var slot = await _admission.EnterAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        QueryDatabase? database = null;
        DuckDBConnection? connection = null;
        DuckDBCommand? command = null;
        // One source for both ways a query ends early: the caller going away, and the timeout.
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        CancellationTokenRegistration interrupt = default;
        try
        {
            (database, connection) = OpenConnection(cancellationToken);
            var classification = StatementClassifier.Classify(connection, sql);
            if (!classification.IsRead) throw new QueryException(_redactor.Redact(classification.Reason));
            command = connection.CreateCommand();
            command.UseStreamingMode = true;
            // Cancelling a DuckDB.NET command interrupts its connection (duckdb_interrupt): the running statement
            // stops wherever it is, not only between rows or batches.
            var interruptTarget = command;
            interrupt = timeout.Token.Register(static state => ((DuckDBCommand)state!).Cancel(), interruptTarget);
            var (columns, text) = Describe(connection, sql, arrow);
            command.CommandText = text;
            var execution = new QueryExecution(database, connection, command, slot, timeout, interrupt, clock, _settings.Timeout, cancellationToken);
            if (arrow)
            {
                var batches = await Task.Run(command.ExecuteArrowStream, CancellationToken.None);
                return new QueryCursor(columns, classification.Fingerprint!, execution, null, batches, _logger, _redactor);
            }
            var reader = (DuckDBDataReader)await Task.Run(command.ExecuteReader, CancellationToken.None);
            return new QueryCursor(columns, classification.Fingerprint!, execution, reader, null, _logger, _redactor);
        }
        catch (Exception e)
        {
            interrupt.Dispose();
            command?.Dispose();
            if (connection is not null) database!.Return(connection, clean: false);
            slot.Dispose();
            var timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            timeout.Dispose();
            if (timedOut && e is OperationCanceledException or DuckDBException) throw new QueryTimeoutException(_settings.Timeout);
            if (e is DuckDBException db) throw new QueryException(Message(db, _redactor));
            throw;
        }
    }

    public void Dispose()
    {
        Volatile.Read(ref _current).Dispose();
        _admission.Dispose();
        _publishing.Dispose();
    }

    internal static string Message(DuckDBException exception, Redactor redactor) => redactor.Redact(exception.Message.Trim());

    private (QueryDatabase Database, DuckDBConnection Connection) OpenConnection(CancellationToken cancellationToken)
    {
        // A publish may retire the database between reading _current and opening on it; then take the new one.
        while (true)
        {
            var database = Volatile.Read(ref _current);
            if (database.TryOpenConnection(cancellationToken) is { } connection) return (database, connection);
        }
    }

    // The result's columns as DuckDB types them (DESCRIBE binds without running), and the text to run: the SQL as
    // sent, or wrapped so that values the provider cannot read as they are arrive as JSON or text, and, for Arrow, so
    // that DuckDB's own Arrow export sends each column as the Arrow type Pipekit promises (ArrowTypes).
    private static (IReadOnlyList<ResultColumn> Columns, string Sql) Describe(DuckDBConnection connection, string sql, bool arrow)
    {
        var body = TrimStatementEnd(sql);
        var columns = new List<ResultColumn>();
        var conversions = new List<string>();
        var wrap = false;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"DESCRIBE (\n{body}\n)";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var type = reader.GetString(1);
                var position = columns.Count + 1;
                var (kind, conversion) = ColumnTypes.Classify(type, position);
                if (arrow) conversion = ColumnTypes.ArrowConversion(type, position) ?? conversion;
                columns.Add(new ResultColumn(name, type, kind));
                conversions.Add(conversion ?? "#" + position.ToString(System.Globalization.CultureInfo.InvariantCulture));
                wrap |= conversion is not null;
            }
        }
        if (!wrap) return (columns, sql);
        return (columns, $"SELECT {string.Join(", ", conversions)} FROM (\n{body}\n) AS pipekit_result");
    }

    private static string TrimStatementEnd(string sql)
    {
        var span = sql.AsSpan().TrimEnd();
        while (span.EndsWith(";")) span = span[..^1].TrimEnd();
        return span.ToString();
    }
}
