using System.Data.Common;
using DuckDB.NET.Data;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.Engine;

/// <summary>
/// One in-memory DuckDB database holding one published set of views, sandboxed and with its configuration locked, and
/// the idle connections to it that finished queries handed back.
/// </summary>
/// <remarks>
/// DuckDB's sandbox settings (<c>enable_external_access</c>, <c>allowed_directories</c>, <c>lock_configuration</c>)
/// belong to the database, not to a connection, and once locked they cannot be widened for a new dataset directory.
/// So a catalog change builds a new database with the whole new set of views and swaps it in; queries already
/// running keep the database they started on (a duplicated DuckDB.NET connection keeps its database alive after
/// the anchor closes). A query therefore sees the old set of views or the new one, never half of each.
/// <para>
/// A connection is made, and its sandbox checked, once: a query that ends cleanly hands it back for the next query
/// (<see cref="Return"/>), so a request does not pay for a new connection, its first-query set-up and the check. A
/// connection whose query failed, timed out or was cancelled is closed instead of kept; so is every idle connection
/// when the database is retired. The views live in the database, not the connection, so a pooled connection never
/// sees a stale set.
/// </para>
/// </remarks>
internal sealed class QueryDatabase : IDisposable
{
    private readonly Lock _gate = new();
    private readonly DuckDBConnection _anchor;
    private readonly Stack<DuckDBConnection> _idle = new();
    private readonly int _maxIdle;
    private bool _retired;

    private QueryDatabase(DuckDBConnection anchor, long generation, IReadOnlyList<ViewOutcome> outcomes, int maxIdle)
    {
        _anchor = anchor;
        _maxIdle = maxIdle;
        Generation = generation;
        Outcomes = outcomes;
    }

    public long Generation { get; }

    /// <summary>Connections waiting for the next query.</summary>
    public int IdleConnections
    {
        get
        {
            lock (_gate) return _idle.Count;
        }
    }

    /// <summary>Each requested view and whether it was created.</summary>
    public IReadOnlyList<ViewOutcome> Outcomes { get; }

    /// <summary>
    /// Builds a database: settings, then one view at a time (a view that fails is recorded and the rest go on,
    /// so one poison dataset blocks nothing), then the sandbox. A failed setting or sandbox step fails the whole
    /// build, naming the step and never the statement (which may hold a credential).
    /// </summary>
    public static QueryDatabase Create(long generation, DatabaseSettings settings, IReadOnlyList<ViewDefinition> views, Redactor redactor,
        Action<DuckDBConnection>? beforeSandbox, CancellationToken cancellationToken, int maxIdle = 8)
    {
        var anchor = new DuckDBConnection("DataSource=:memory:");
        try
        {
            anchor.Open();
            if (settings.MemoryLimit is { } memory) Step(anchor, "memory_limit", $"SET memory_limit = {SqlText.Literal(memory)}", redactor);
            if (settings.Threads is { } threads) Step(anchor, "threads", $"SET threads = {threads}", redactor);
            // Every query binds its views twice (DESCRIBE, then the run) and the server reads the same files all day: keep
            // Parquet footers in memory. DuckDB checks a cached footer against the file's modification time and version.
            Step(anchor, "parquet_metadata_cache", "SET GLOBAL parquet_metadata_cache = true", redactor);
            if (settings.TempDirectory is { } temp)
            {
                Directory.CreateDirectory(temp);
                Step(anchor, "temp_directory", $"SET temp_directory = {SqlText.Literal(temp)}", redactor);
            }
            if (settings.S3Direct is { } s3)
            {
                LoadHttpfs(anchor, redactor);
                Step(anchor, "s3 secret", S3SecretStatement(s3), redactor);
            }
            var outcomes = new List<ViewOutcome>(views.Count);
            foreach (var view in views)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    Execute(anchor, $"CREATE OR REPLACE VIEW {SqlText.Identifier(view.Name)} AS {view.Select}");
                    outcomes.Add(new ViewOutcome(view.Name, null));
                }
                catch (DbException e)
                {
                    outcomes.Add(new ViewOutcome(view.Name, redactor.Redact(FirstLine(e.Message))));
                }
            }
            beforeSandbox?.Invoke(anchor);
            var created = views.Where(v => outcomes.Any(o => o.Ok && o.Name == v.Name)).ToList();
            var directories = created.SelectMany(v => v.Directories).Concat(settings.ExtraDirectories)
                .Concat(settings.TempDirectory is { } t ? [t] : []).Select(WithSlash).Distinct(StringComparer.Ordinal).ToList();
            var files = created.SelectMany(v => v.Files).Distinct(StringComparer.Ordinal).ToList();
            if (settings.S3Direct is not null) directories.Add("s3://");
            if (directories.Count > 0) Step(anchor, "allowed_directories", $"SET allowed_directories = {SqlText.List(directories)}", redactor);
            if (files.Count > 0) Step(anchor, "allowed_paths", $"SET allowed_paths = {SqlText.List(files)}", redactor);
            Step(anchor, "enable_external_access", "SET enable_external_access = false", redactor);
            Step(anchor, "lock_configuration", "SET lock_configuration = true", redactor);
            return new QueryDatabase(anchor, generation, outcomes, maxIdle);
        }
        catch
        {
            anchor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection to this database for one query (an idle one when a finished query handed one back, else a new
    /// one), or null once the database is retired (the caller takes the current one instead). A new connection's
    /// set-up is only a check that the sandbox holds; it keeps no state and takes no token of an earlier caller, so one
    /// failed open cannot spoil the next (the seed's B-CTX lesson).
    /// </summary>
    public DuckDBConnection? TryOpenConnection(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DuckDBConnection connection;
        lock (_gate)
        {
            if (_retired) return null;
            if (_idle.TryPop(out var idle)) return idle;
            connection = _anchor.Duplicate();
            connection.Open();
        }
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT current_setting('lock_configuration') AND NOT current_setting('enable_external_access')";
            if (command.ExecuteScalar() is not true)
                throw new InvalidOperationException("a query connection opened without the sandbox; refusing to run queries on it");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes back a connection whose query is over: kept for the next query when the query ended cleanly
    /// (<paramref name="clean"/>), the database is still current and fewer than the limit are idle; closed otherwise.
    /// </summary>
    public void Return(DuckDBConnection connection, bool clean)
    {
        lock (_gate)
        {
            if (clean && !_retired && _idle.Count < _maxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }

    /// <summary>No new connections; idle ones close now, and the database when the last running query's connection does.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_retired) return;
            _retired = true;
            while (_idle.TryPop(out var idle)) idle.Dispose();
            _anchor.Dispose();
        }
    }

    private static void Step(DuckDBConnection connection, string label, string sql, Redactor redactor)
    {
        try
        {
            Execute(connection, sql);
        }
        catch (DbException e)
        {
            // The label, never the statement: a CREATE SECRET carries the key (the seed's B-LEAK lesson).
            throw new QueryException($"query database setup step '{label}' failed: {redactor.Redact(FirstLine(e.Message))}");
        }
    }

    /// <summary>
    /// <c>[s3] mode = "direct"</c> needs DuckDB's httpfs extension, which DuckDB downloads on <c>INSTALL</c>; offline it is
    /// missing, and the error says so in one line with the two ways out.
    /// </summary>
    internal static void LoadHttpfs(DuckDBConnection connection, Redactor redactor)
    {
        try
        {
            Execute(connection, "LOAD httpfs");
        }
        catch (DbException e)
        {
            throw new QueryException("[s3] mode = \"direct\" needs DuckDB's httpfs extension, which cannot be loaded here " +
                $"({redactor.Redact(FirstLine(e.Message))}); run INSTALL httpfs with DuckDB {DuckDbVersion(connection)} on this machine " +
                "(it downloads from extensions.duckdb.org) or copy the extension into ~/.duckdb/extensions, or set [s3] mode = \"cache\"");
        }
    }

    private static string DuckDbVersion(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version()";
        return command.ExecuteScalar() as string ?? "";
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string S3SecretStatement(S3DirectSecret s3)
    {
        var parts = new List<string>
        {
            "TYPE S3",
            $"KEY_ID {SqlText.Literal(s3.KeyId)}",
            $"SECRET {SqlText.Literal(s3.Secret)}",
            $"REGION {SqlText.Literal(s3.Region)}",
            $"URL_STYLE {SqlText.Literal(s3.UrlStyle)}",
            $"USE_SSL {(s3.UseSsl ? "true" : "false")}",
        };
        if (s3.Endpoint is { } endpoint) parts.Add($"ENDPOINT {SqlText.Literal(new Uri(endpoint).Authority)}");
        return $"CREATE OR REPLACE SECRET pipekit_s3 ({string.Join(", ", parts)})";
    }

    private static string WithSlash(string directory) =>
        directory.EndsWith('/') ? directory : directory + "/";

    internal static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "DuckDB reported an error without a message" : line;
    }
}
