using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Sync;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Bench.Api;

/// <summary>
/// The benchmark's state store: 1,000 modules with a watermark each, 200,000 run_log rows and a password, and a secrets
/// file with <see cref="Secrets"/> values, so that every response pays for redaction as it does in real use.
/// </summary>
internal static class BenchStore
{
    public const int Modules = 1_000;
    public const int Runs = 200_000;
    public const string User = "bench";
    public const string Password = "bench-password-1";

    /// <summary>How many secrets the secrets file holds (each redacted in all its encoded forms).</summary>
    public const int Secrets = 20;

    /// <summary>Seeds the store; false when it already held the bench's modules (a kept <c>--home</c>), which are then reused.</summary>
    public static async Task<bool> SeedAsync(PipekitEnvironment environment, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= Secrets; i++)
            await SecretsFile.SetAsync(environment.SecretsPath, null, $"BENCH_SECRET_{i:D2}", $"s3cr3t/value+{i:D2}&key=\"x\"", cancellationToken);
        // A kept --home seeded before is reused as it is: the server it ran has added the state parts of every feature,
        // which this seeder (Core and Sync only) must not open.
        // Only the SQLite store lives in the home: a PostgreSQL store is a fresh cluster every time and is always seeded.
        var seeded = Path.Combine(environment.Home.Root, ".bench-seeded");
        var keeps = environment.StateKind == StoreKind.Sqlite;
        if (keeps && File.Exists(seeded)) return false;
        var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, cancellationToken);
        await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitSync().BuildServiceProvider();
        var store = services.GetRequiredService<StateStore>();
        await store.InitializeAsync(cancellationToken);
        await services.GetRequiredService<Credentials>().SetAsync(User, Password, cancellationToken);
        var connections = services.GetRequiredService<ConnectionRepository>();
        var source = await connections.AddAsync(new ConnectionRecord { Name = "source", Driver = "sqlite", Url = "sqlite::memory:" }, cancellationToken);
        var dest = await connections.AddAsync(new ConnectionRecord { Name = "dest", Driver = "sqlite", Url = "sqlite::memory:" }, cancellationToken);
        var modules = Enumerable.Range(1, Modules).Select(i => new Module
        {
            Name = $"module_{i:D4}", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = $"warehouse.table_{i:D4}",
            SourceQuery = $"SELECT id, name, amount, updated_at FROM source_table_{i:D4} WHERE updated_at > {{since}}",
            MergeStrategy = MergeStrategy.Incremental, MergeKey = "id",
            Columns = [new("id", "INTEGER", "id", "INTEGER"), new("name", "VARCHAR(40)", "name", "TEXT"), new("amount", "DECIMAL(12,2)", "amount", "NUMERIC"),
                new("updated_at", "TIMESTAMP", "updated_at", "TIMESTAMP")],
            Watermarks = [new Watermark { Name = "since", ConnectionId = dest.Id, ResolverSql = $"SELECT max(updated_at) FROM warehouse.table_{i:D4}", DefaultValue = "'1970-01-01'" }],
        }).ToList();
        await services.GetRequiredService<ModuleRepository>().SaveAllAsync(modules, cancellationToken);

        // 200,000 history rows go in as multi-row INSERTs of 500 rows in one transaction: through the run-log
        // repository (two connections per run), or one row per statement on a PostgreSQL store, seeding alone would
        // take minutes. The rows look like the engine's.
        await using var c = await store.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        const int batch = 500;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var first = 0; first < Runs; first += batch)
        {
            await using var insert = c.CreateCommand();
            insert.Transaction = tx;
            var rows = new List<string>(batch);
            for (var i = first; i < Math.Min(Runs, first + batch); i++)
            {
                var module = 1 + i % Modules;
                var began = start.AddSeconds(i * 30);
                var failed = i % 50 == 0;
                var names = new List<string>(13);
                void Add(object value)
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = $"p{insert.Parameters.Count}";
                    parameter.Value = value;
                    insert.Parameters.Add(parameter);
                    names.Add("@" + parameter.ParameterName);
                }
                Add(module);
                Add(StateClock.Format(began));
                Add(StateClock.Format(began.AddSeconds(2)));
                Add(2000);
                Add(i % 5000);
                Add(failed ? "error" : "success");
                Add(failed ? "watermark 'since': resolver failed: no such table" : DBNull.Value);
                Add($"SELECT id, name, amount, updated_at FROM source_table_{module:D4} WHERE updated_at > '2026-01-01 00:00:00'");
                Add($"DELETE FROM \"warehouse\".\"table_{module:D4}\" WHERE EXISTS (SELECT 1 FROM \"pipekit_staging\".\"module_{module:D4}\" s WHERE s.\"id\" = \"warehouse\".\"table_{module:D4}\".\"id\");\nINSERT INTO \"warehouse\".\"table_{module:D4}\" (\"id\", \"name\", \"amount\", \"updated_at\") SELECT \"id\", \"name\", \"amount\", \"updated_at\" FROM \"pipekit_staging\".\"module_{module:D4}\";");
                Add("{\"since\":\"'2026-01-01 00:00:00'\"}");
                Add($"{i % 5000} rows from source into pipekit_staging.module_{module:D4} in 1.234 s");
                Add("watermark since = '2026-01-01 00:00:00'\ntransfer: source → dest\nmerge committed\n");
                Add($"module_{module:D4}");
                rows.Add($"({string.Join(", ", names.Take(6))}, {names[6]}, 'schedule:1', {string.Join(", ", names.Skip(7))})");
            }
            insert.CommandText = $"""
                INSERT INTO run_log (module_id, started_at, finished_at, duration_ms, row_count, status, error, triggered_by,
                                     resolved_source_sql, merge_sql, watermark_values_json, transfer_log, live_log, module_name)
                VALUES {string.Join(",\n", rows)}
                """;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        if (keeps) await File.WriteAllTextAsync(seeded, "", cancellationToken);
        return true;
    }
}
