using System.Diagnostics;
using Npgsql;

namespace Pipekit.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temp directory (owned by the <c>postgres</c> OS user when
/// running as root, because initdb refuses root), started with pg_ctl on a free loopback port, and deleted
/// on dispose. Tests call <see cref="CreateDatabaseAsync"/> for a fresh database each.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string _dataRoot;
    private int _databases;
    private bool _stopped;

    private PostgresCluster(string dataRoot, int port)
    {
        _dataRoot = dataRoot;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Why PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? UnavailableReason =>
        File.Exists(Path.Combine(BinDirectory, "initdb")) && File.Exists(Path.Combine(BinDirectory, "pg_ctl"))
            ? null
            : $"PostgreSQL 15 binaries not found in {BinDirectory} (apt-get install postgresql-15)";

    /// <summary>Connection string of the maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public string Uri(string database) => $"postgres://postgres@127.0.0.1:{Port}/{database}";

    public static async Task<PostgresCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        var root = Path.Combine(Path.GetTempPath(), "pipekit-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["postgres:postgres", root], null, cancellationToken);
        var port = FreePort.Next();
        await PgAsync(asRoot, "initdb", $"-D {data} -A trust --no-sync -U postgres -E UTF8 --locale=C.UTF-8", cancellationToken);
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await PgAsync(asRoot, "pg_ctl", $"-D {data} -l {root}/server.log -w -t 60 -o \"{options}\" start", cancellationToken);
        var cluster = new PostgresCluster(root, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopQuietly();
        return cluster;
    }

    /// <summary>Creates a fresh, empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(StopQuietly);
    }

    private void StopQuietly()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            var asRoot = Environment.UserName == "root";
            PgAsync(asRoot, "pg_ctl", $"-D {Path.Combine(_dataRoot, "data")} -m immediate -w stop", CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // the cluster may already be gone; the directory is still removed below
        }
        try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static Task PgAsync(bool asRoot, string tool, string args, CancellationToken ct)
    {
        var exe = Path.Combine(BinDirectory, tool);
        return asRoot
            ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", $"{exe} {args}"], null, ct)
            : RunAsync("/bin/sh", ["-c", $"{exe} {args}"], null, ct);
    }

    internal static async Task RunAsync(string file, IEnumerable<string> args, string? workDir, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir ?? "/" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {await stderr}{await stdout}");
    }
}
