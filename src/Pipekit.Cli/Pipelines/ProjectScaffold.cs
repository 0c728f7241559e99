using System.Text.RegularExpressions;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;

namespace Pipekit.Cli.Pipelines;

/// <summary><c>pipekit pipelines new NAME --type python|sql|shell</c>: a project that validates and runs at once.</summary>
internal static partial class ProjectScaffold
{
    public static readonly string[] Types = ["python", "sql", "shell"];

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex NamePattern();

    /// <summary>Writes the project and returns the files written (and the secret added, for sql).</summary>
    public static async Task<IReadOnlyList<string>> CreateAsync(string workspace, string name, string type, string secretsPath, CancellationToken ct)
    {
        if (!NamePattern().IsMatch(name))
            throw new InvalidInputException($"'{name}' is not a DAG name: use letters, digits, '_' and '-', starting with a letter");
        if (!Types.Contains(type)) throw new InvalidInputException($"--type must be python, sql or shell, not '{type}'");
        var directory = Path.Combine(workspace, "projects", name);
        if (Directory.Exists(directory)) throw new ConflictException($"{directory} exists already; pick another name or edit that project");

        var (script, body) = type switch
        {
            "python" => ("tasks/hello.py", """
                # A python task. The pit SDK is on PYTHONPATH: secrets come from the secrets file, project section first.
                import os

                from pit import sdk

                print(f"hello from {os.environ['PIT_DAG_NAME']} run {os.environ['PIT_RUN_ID']}")
                try:
                    sdk.get_secret("greeting")
                    print("the secret 'greeting' is set")
                except sdk.PitSDKError as error:
                    print(f"no secret yet ({error}); add one with: pipekit secrets set greeting --project {os.environ['PIT_DAG_NAME']}")
                """),
            "sql" => ("tasks/hello.sql", """
                -- A sql task: it runs in-process on the database of [dag.sql].connection (a secret).
                CREATE TABLE IF NOT EXISTS hello (said_at TIMESTAMP, words VARCHAR);
                INSERT INTO hello VALUES (now(), 'hello from pipekit');
                """),
            _ => ("tasks/hello.sh", """
                #!/usr/bin/env bash
                # A shell task: runs with bash from the run's snapshot of the project.
                set -euo pipefail
                echo "hello from $PIT_DAG_NAME, task $PIT_TASK_NAME, run $PIT_RUN_ID"
                """),
        };
        var sql = type == "sql" ? "\n[dag.sql]\nconnection = \"warehouse_db\"\n" : "";
        var toml = $"""
            [dag]
            name = "{name}"
            # schedule = "0 6 * * *"   # cron, UTC
            overlap = "skip"
            timeout = "1h"
            {sql}
            [[tasks]]
            name = "hello"
            script = "{script}"
            timeout = "5m"
            retries = 0
            """;
        var written = new List<string>();
        Directory.CreateDirectory(Path.Combine(directory, "tasks"));
        await Write(Path.Combine(directory, "pit.toml"), toml + "\n");
        await Write(Path.Combine(directory, script), body + "\n");
        if (type == "shell") File.SetUnixFileMode(Path.Combine(directory, script), (UnixFileMode)0b111_101_101);
        await Write(Path.Combine(directory, "README.md"), $"# {name}\n\nA Pipekit pipeline: `pipekit pipelines validate`, then `pipekit pipelines run {name}`.\n");
        if (type == "sql")
        {
            var store = await SecretStore.LoadOrEmptyAsync(secretsPath, ct);
            if (!store.TryResolve(name, "warehouse_db", out _))
            {
                var database = Path.Combine(directory, $"{name}.duckdb");
                await SecretsFile.SetAsync(secretsPath, name, "warehouse_db", $"duckdb://{database}", ct);
                written.Add($"secret [{name}].warehouse_db in {secretsPath} (a DuckDB file in the project; point it at your database)");
            }
        }
        return written;

        async Task Write(string path, string text)
        {
            await File.WriteAllTextAsync(path, text, ct);
            written.Insert(Math.Max(0, written.Count), path);
        }
    }
}
