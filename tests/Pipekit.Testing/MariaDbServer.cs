using System.Diagnostics;
using MySqlConnector;

namespace Pipekit.Testing;

/// <summary>
/// A throwaway MariaDB server: <c>mariadb-install-db</c> into a temp directory, <c>mariadbd</c> started as a
/// child process on a free loopback port (root, empty password, TCP), killed and deleted on dispose or at
/// process exit. Tests call <see cref="CreateDatabaseAsync"/> for a fresh database each.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string ServerBinary = "/usr/sbin/mariadbd";
    public const string InstallBinary = "/usr/bin/mariadb-install-db";

    // InnoDB's default 96 MB redo log is most of a fresh data directory; tests never need it.
    private const string RedoLogSize = "--innodb-log-file-size=16M";

    private readonly string _root;
    private readonly Process _process;
    private int _databases;
    private int _stopped;

    private MariaDbServer(string root, Process process, int port)
    {
        _root = root;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Why MariaDB tests cannot run here, or null when they can.</summary>
    public static string? UnavailableReason =>
        File.Exists(ServerBinary) && File.Exists(InstallBinary)
            ? null
            : $"MariaDB binaries not found ({ServerBinary}, {InstallBinary}); apt-get install mariadb-server";

    /// <summary>Connection string with no default database.</summary>
    public string AdminConnectionString => ConnectionString(null);

    /// <summary>A plain MySqlConnector connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string? database) =>
        $"Server=127.0.0.1;Port={Port};User ID=root;Pooling=false" + (database is null ? "" : $";Database={database}");

    public string Uri(string database) => $"mysql://root@127.0.0.1:{Port}/{database}";

    /// <summary>Starts a server; <paramref name="localInfile"/> false starts one that refuses LOAD DATA LOCAL.</summary>
    public static async Task<MariaDbServer> StartAsync(bool localInfile = true, CancellationToken cancellationToken = default)
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        var root = Path.Combine(Path.GetTempPath(), "pipekit-mariadb-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        try
        {
            var data = Path.Combine(root, "data");
            // mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
            var user = Environment.UserName;
            await PostgresCluster.RunAsync(InstallBinary,
                ["--no-defaults", $"--datadir={data}", $"--user={user}", "--auth-root-authentication-method=normal",
                 "--skip-test-db", "--skip-name-resolve", RedoLogSize],
                root, cancellationToken);

            // FreePort hands out a port that is free now; another process may take it before mariadbd binds,
            // so a server that dies at startup gets a second and third port.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var process = StartServer(root, data, user, port, localInfile);
                var server = new MariaDbServer(root, process, port);
                try
                {
                    await server.WaitUntilReadyAsync(cancellationToken);
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopQuietly(deleteFiles: true);
                    return server;
                }
                catch (Exception) when (attempt < 3 && process.HasExited)
                {
                    server.StopQuietly(deleteFiles: false);
                }
                catch (Exception)
                {
                    server.StopQuietly(deleteFiles: false);
                    throw;
                }
            }
        }
        catch (Exception)
        {
            DeleteDirectory(root);
            throw;
        }
    }

    /// <summary>Creates a fresh, empty utf8mb4 database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var conn = new MySqlConnection(AdminConnectionString);
        await conn.OpenAsync(cancellationToken);
        await using var cmd = new MySqlCommand($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4", conn);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(() => StopQuietly(deleteFiles: true));
    }

    private static Process StartServer(string root, string data, string user, int port, bool localInfile)
    {
        var psi = new ProcessStartInfo(ServerBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        string[] args =
        [
            "--no-defaults",
            $"--datadir={data}",
            $"--user={user}",
            $"--port={port}",
            "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(root, "mysqld.sock")}",
            $"--pid-file={Path.Combine(root, "mysqld.pid")}",
            $"--log-error={Path.Combine(root, "error.log")}",
            $"--local-infile={(localInfile ? 1 : 0)}",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=64M",
            "--innodb-flush-log-at-trx-commit=0",
            RedoLogSize,
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {ServerBinary}");
        // drained so a chatty server never blocks on a full pipe; its real log is error.log
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var connectionString = AdminConnectionString + ";Connection Timeout=2";
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"mariadbd exited with code {_process.ExitCode} during startup: {ErrorLogTail()}");
            try
            {
                await using var conn = new MySqlConnection(connectionString);
                await conn.OpenAsync(cancellationToken);
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (MySqlException e)
            {
                throw new InvalidOperationException($"mariadbd did not accept connections within 60 s ({e.Message}): {ErrorLogTail()}");
            }
        }
    }

    private string ErrorLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(_root, "error.log"));
            return string.Join(Environment.NewLine, lines.TakeLast(15));
        }
        catch (IOException)
        {
            return "(no error.log)";
        }
    }

    private void StopQuietly(bool deleteFiles)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            if (!_process.HasExited)
            {
                // the data is disposable, so there is nothing a clean shutdown would save
                _process.Kill();
                _process.WaitForExit(30_000);
            }
        }
        catch (InvalidOperationException)
        {
            // the process is already gone
        }
        _process.Dispose();
        if (deleteFiles) DeleteDirectory(_root);
    }

    private static void DeleteDirectory(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
