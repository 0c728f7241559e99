using Pipekit.Core.Secrets;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// A connection's password secret that turns up in SQL, watermark values, engine errors and hook errors never reaches
/// the run log, the module row or the run's result: every stored text goes through the redactor.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RedactionFacts(PostgresFixture postgres)
{
    // Characters JSON escapes ('"', '+', '&', '<', '>') would hide an escaped copy from a redactor matching literal text.
    private const string Secret = "Sw0rdfish\"+&<x>";

    [PostgresFact]
    public async Task A_secret_in_a_failing_query_its_watermark_and_a_failing_hook_never_reaches_the_state_database()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Secrets = new Dictionary<string, string> { ["PG_PASSWORD"] = Secret } });
        // The test cluster trusts local connections, so the password is sent and ignored; it is still a secret.
        var pg = await h.AddPostgresAsync("pg", postgres, password: "$PG_PASSWORD");
        var literal = "'" + Secret + "'";
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "leaky",
            SourceConnectionId = pg.Id,
            DestConnectionId = pg.Id,
            DestTable = "leaky_copy",
            // The secret comes back from the resolver, lands in the SQL, and the cast fails quoting it.
            SourceQuery = "SELECT '{secret}'::int AS v",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("v", "integer", "v", "integer")],
            Watermarks = [new() { Name = "secret", ConnectionId = pg.Id, ResolverSql = $"SELECT {literal}" }],
            Hooks = [new() { RunOrder = 1, ConnectionId = pg.Id, Sql = $"SELECT {literal}::int", RunOn = HookRunOn.Failure }],
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        var entry = await h.RunLogAsync(result);
        Assert.Contains("invalid input syntax for type integer", entry.Error, StringComparison.Ordinal);
        Assert.Contains(Redactor.Mask, entry.Error, StringComparison.Ordinal);
        Assert.Equal("SELECT '***'::int AS v", entry.ResolvedSourceSql);
        Assert.Equal("""{"secret":"***"}""", entry.WatermarkValuesJson);
        Assert.Matches(@"^hook 1 \(failure\): FAILED after \d+ ms: .*invalid input syntax for type integer: ""\*\*\*""", entry.HookLog);
        Assert.DoesNotContain("Sw0rd", result.Error, StringComparison.Ordinal);
        await AssertNoTraceInStateAsync(h);
    }

    /// <summary>Every text cell of the run log and module tables: not the secret, not any part of it, in any encoding.</summary>
    private static async Task AssertNoTraceInStateAsync(SyncHarness h)
    {
        await using var c = await h.State.OpenAsync(CancellationToken.None);
        foreach (var table in new[] { "run_log", "module" })
        {
            await using var command = c.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            var cells = 0;
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.IsDBNull(i) || reader.GetValue(i) is not string text) continue;
                    cells++;
                    Assert.False(text.Contains("Sw0rd", StringComparison.Ordinal), $"{table}.{reader.GetName(i)} holds the secret: {text}");
                }
            }
            Assert.True(cells > 0, $"{table} has no text to check");
        }
    }
}
