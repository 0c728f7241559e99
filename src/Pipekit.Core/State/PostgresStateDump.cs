using System.Diagnostics;
using System.Text;
using Dapper;
using Pipekit.Core.Errors;

namespace Pipekit.Core.State;

/// <summary>
/// Backs up and restores a PostgreSQL state store with the PostgreSQL client: <c>pg_dump -Fc</c> into a file, and
/// <c>pg_restore</c> into an empty database. The tools come from <c>[state] pg_bin_dir</c> or PATH; the connection
/// reaches them only through the libpq environment (<c>PGPASSWORD</c> among it), never on the command line, and
/// nothing they print is shown without the password masked.
/// </summary>
internal sealed class PostgresStateDump
{
    private readonly StateStore _store;
    private readonly PostgresStateDatabase _database;
    private readonly string? _binDirectory;

    public PostgresStateDump(StateStore store, PostgresStateDatabase database, string? binDirectory)
    {
        _store = store;
        _database = database;
        _binDirectory = binDirectory;
    }

    /// <summary>Dumps the store to <paramref name="target"/> (through a sibling temporary file, so a target that exists is complete).</summary>
    public async Task DumpAsync(string target, CancellationToken cancellationToken)
    {
        var pgDump = Tool("pg_dump", "back up");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        try
        {
            var (env, database) = _database.ClientSettings();
            var result = await RunAsync(pgDump, ["--format=custom", "--no-owner", $"--file={temp}", $"--dbname={ConnInfo(database)}"], env, cancellationToken);
            if (result.ExitCode != 0)
                throw new StateException($"pg_dump of the state store {_store.Location} failed: {Scrub(result.Error, env)}");
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, target, overwrite: false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Checks <paramref name="source"/> is a readable dump of a Pipekit store, then restores it into the store's database,
    /// which must be empty. Returns nothing to keep: the database that was replaced is not touched.
    /// </summary>
    public async Task RestoreAsync(string source, CancellationToken cancellationToken)
    {
        var pgRestore = Tool("pg_restore", "restore");
        var (env, database) = _database.ClientSettings();
        var list = await RunAsync(pgRestore, ["--list", source], env, cancellationToken);
        if (list.ExitCode != 0)
            throw new InvalidInputException($"backup file {source} is not a readable pg_dump archive ({FirstLine(Scrub(list.Error, env))}); choose a file 'pipekit backup' made");
        if (!list.Output.Contains(" schema_version ", StringComparison.Ordinal))
            throw new InvalidInputException($"backup file {source} is a pg_dump archive but not of a Pipekit state store (it has no schema_version table); choose a file 'pipekit backup' made");

        await using (var c = await _store.OpenAsync(cancellationToken))
        {
            var tables = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", cancellationToken: cancellationToken));
            if (tables > 0)
                throw new ConflictException(
                    $"the state database {_store.Location} is not empty ({tables} tables); pg_restore restores into an empty database: stop the servers, " +
                    $"create one (createdb -O <owner> {database}_restored), point [state] url at it and run 'pipekit restore {source}' again; the current database stays as it is");
        }

        var restore = await RunAsync(pgRestore,
            ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", $"--dbname={ConnInfo(database)}", source], env, cancellationToken);
        if (restore.ExitCode != 0)
            throw new StateException($"pg_restore into the state store {_store.Location} failed and was rolled back: {Scrub(restore.Error, env)}");
    }

    /// <summary>The tool's path, from <c>[state] pg_bin_dir</c> or PATH.</summary>
    private string Tool(string name, string what)
    {
        if (_binDirectory is not null)
        {
            var configured = Path.Combine(_binDirectory, name);
            return File.Exists(configured) ? configured
                : throw new CannotDoHereException($"{name} is not in [state] pg_bin_dir ({_binDirectory}); fix the setting, or remove it to look on PATH; " +
                    "without the PostgreSQL client, the database's own backup covers the state store (pg_dump -Fc, base backups or snapshots)");
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        return onPath ?? throw new CannotDoHereException(
            $"{name} is not on PATH, so 'pipekit {what}' cannot handle the PostgreSQL state store {_store.Location}; the database's own backup covers it " +
            $"(pg_dump -Fc, base backups or snapshots), or install the PostgreSQL client (apt-get install postgresql-client) or set [state] pg_bin_dir");
    }

    // A libpq connection string that names only the database; host, port, user and password come from the environment.
    private static string ConnInfo(string database) => $"dbname='{database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    private static string Scrub(string text, IReadOnlyDictionary<string, string> env)
    {
        var trimmed = text.Trim();
        return env.TryGetValue("PGPASSWORD", out var password) && password.Length > 0 ? trimmed.Replace(password, "***", StringComparison.Ordinal) : trimmed;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> env, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Nothing of the caller's libpq settings may redirect the tool to another server.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in env) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new StateException($"could not start {tool}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}
