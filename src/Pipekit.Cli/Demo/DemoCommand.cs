using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Cli.Hosting;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;

namespace Pipekit.Cli.Demo;

/// <summary>
/// <c>pipekit demo</c>: a guided tour in a data directory of its own (default <c>~/.pipekit-demo</c>), so it
/// never touches a real installation.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var home = new Option<string?>("--home") { Description = "Data directory for the demo (default: ~/.pipekit-demo)" };
        var command = new Command("demo", "Set up a demo installation and show what Pipekit does") { home };
        runner.Bind(command, async (ctx, ct) =>
        {
            var root = ctx.Value(home) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pipekit-demo");
            var pipekitHome = new PipekitHome(root);
            Directory.CreateDirectory(pipekitHome.Root);
            var environment = new PipekitEnvironment(pipekitHome, new PipekitConfig(), pipekitHome.DefaultSecretsPath);
            var o = ctx.Out;

            await o.WriteLineAsync($"== Pipekit demo in {pipekitHome.Root}");
            await o.WriteLineAsync();
            await o.WriteLineAsync("-- 1. init: create the state database");
            var demoPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            await SecretsFile.SetAsync(environment.SecretsPath, null, "DEMO_WAREHOUSE_PW", demoPassword, ct);
            var secrets = await SecretStore.LoadAsync(environment.SecretsPath, ct);
            await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).BuildServiceProvider();
            var store = services.GetRequiredService<StateStore>();
            var applied = await store.InitializeAsync(ct);
            await o.WriteLineAsync($"   state database {store.Path} at schema version {store.Migrator.LatestVersion} ({applied.Count} migration(s) applied now)");
            await o.WriteLineAsync();

            await o.WriteLineAsync("-- 2. secrets set: a demo secret, referenced elsewhere as $DEMO_WAREHOUSE_PW");
            await o.WriteLineAsync($"   {environment.SecretsPath} now holds: {string.Join(", ", secrets.Keys(null))} (values are never printed)");
            var redactor = services.GetRequiredService<Redactor>();
            await o.WriteLineAsync($"   the redactor hides it anywhere it would appear: \"{redactor.Redact($"login failed for password {demoPassword}")}\"");
            await o.WriteLineAsync();

            await o.WriteLineAsync("-- 3. doctor");
            var results = await services.GetRequiredService<Doctor>().RunAsync(ct);
            foreach (var r in results)
                await o.WriteLineAsync($"   {r.Status.ToString().ToLowerInvariant(),-5} {r.Check,-16} {r.Message}");
            await o.WriteLineAsync();

            await o.WriteLineAsync("-- What exists today");
            await o.WriteLineAsync("   pipekit init | doctor | secrets set/list/unset | set-password   (pipekit --help)");
            await o.WriteLineAsync();
            await o.WriteLineAsync("-- What comes next");
            await o.WriteLineAsync("   database drivers and connections, sync modules with watermarks and merges, the REST API and web UI,");
            await o.WriteLineAsync("   pipelines (DAGs of .sql/.py/.sh tasks), chains (SQL replay on cached snapshots) and query (SQL over Parquet).");
            await o.WriteLineAsync();
            await o.WriteLineAsync($"Try it yourself: PIPEKIT_HOME={pipekitHome.Root} ./pipekit doctor");
            return results.Any(r => r.Status == DoctorStatus.Fail) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
