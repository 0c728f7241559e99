using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipekit.Cli.Hosting;
using Pipekit.Server.Api.Contracts;
using Pipekit.Core.State;
using Pipekit.Query.Catalog;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Datasets;

/// <summary><c>pipekit datasets list|add|remove|refresh</c>: the files <c>pipekit query</c> and <c>POST /sql</c> see as views.</summary>
internal sealed class DatasetsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("datasets", "Manage the datasets (Parquet, CSV, JSON files; globs; s3:// objects) that queries see as views");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildAdd(runner));
        command.Subcommands.Add(BuildRemove(runner));
        command.Subcommands.Add(BuildRefresh(runner));
        return command;
    }

    private static async Task<T> ReadyAsync<T>(CliContext ctx, CancellationToken ct) where T : notnull
    {
        await (await ctx.GetAsync<StateStore>(ct)).EnsureReadyAsync(ct);
        return await ctx.GetAsync<T>(ct);
    }

    private static Command BuildList(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List datasets with the status of their last refresh") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var all = await (await ReadyAsync<IDatasetStore>(ctx, ct)).ListAsync(ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, all.Select(DatasetDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (all.Count == 0)
            {
                await ctx.Out.WriteLineAsync("no datasets yet; add one with 'pipekit datasets add NAME /path/to/files/*.parquet'");
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("NAME").Column("FORMAT").Column("STATUS").Column("SOURCE").Column("URI");
            foreach (var d in all) table.Row(d.Name, d.Format, d.Status, SourceText(d), d.Uri);
            await table.WriteAsync(ctx.Out, ct);
            foreach (var d in all.Where(d => d.LastError is not null))
                await ctx.Out.WriteLineAsync($"{d.Name}: {d.LastError}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildAdd(CommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "View name: a letter or _ then letters, digits or _" };
        var uri = new Argument<string>("uri") { Description = "An absolute path, a directory, a glob (/data/sales/*.parquet) or s3://bucket/key-or-prefix" };
        var format = new Option<string?>("--format") { Description = "parquet, csv or json (default: from the extension)" };
        var option = new Option<string[]>("--option")
        {
            Description = "A reader option as key=value, e.g. --option header=true --option delim=';' (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("add", "Register a dataset and publish it at once") { name, uri, format, option };
        runner.Bind(command, async (ctx, ct) =>
        {
            var options = ParseOptions(ctx.Value(option) ?? []);
            var editor = await ReadyAsync<DatasetEditor>(ctx, ct);
            var dataset = await editor.AddAsync(new DatasetInput(ctx.Value(name), ctx.Value(uri), ctx.Value(format), options), ct);
            await ctx.Out.WriteLineAsync(dataset.Status == DatasetStatuses.Ok
                ? $"added dataset '{dataset.Name}' ({dataset.Format}); query it with: pipekit query \"SELECT * FROM {dataset.Name} LIMIT 10\""
                : $"added dataset '{dataset.Name}', but it is not queryable yet: {dataset.LastError}");
            return dataset.Status == DatasetStatuses.Ok ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static Command BuildRemove(CommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Dataset name" };
        var force = new Option<bool>("--force")
        {
            Description = "Remove a dataset that a sync module registers too (its module's next run registers it again)",
        };
        var command = new Command("remove", "Unregister a dataset (its files are left alone)") { name, force };
        runner.Bind(command, async (ctx, ct) =>
        {
            await (await ReadyAsync<DatasetEditor>(ctx, ct)).RemoveAsync(ctx.Value(name), ctx.Value(force), ct);
            await ctx.Out.WriteLineAsync($"removed dataset '{ctx.Value(name)}'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildRefresh(CommandRunner runner)
    {
        var command = new Command("refresh", "Look for changed files, S3 objects and catalog manifests, and record each dataset's status");
        runner.Bind(command, async (ctx, ct) =>
        {
            var report = await (await ReadyAsync<DatasetRegistrar>(ctx, ct)).RefreshAsync(ct);
            await ctx.Out.WriteLineAsync(
                $"{report.Created + report.Updated + report.Skipped - report.Failed} queryable, {report.Failed} failed ({report.Created} new, {report.Updated} changed, {report.Skipped} unchanged)");
            foreach (var (name, error) in report.Errors) await ctx.Out.WriteLineAsync($"  {name}: {error}");
            if (report.CatalogError is { } catalog) await ctx.Out.WriteLineAsync($"  external catalog: {catalog}");
            return report.Failed == 0 && report.CatalogError is null ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    // Where a dataset comes from: api, catalog, or sync:<module>.
    internal static string SourceText(Dataset dataset) =>
        dataset.Source == DatasetSources.Sync ? $"sync:{dataset.Module}" : dataset.Source;

    // key=value pairs become a JSON object: true/false and whole numbers keep their type, anything else is a string.
    private static JsonElement? ParseOptions(IReadOnlyList<string> pairs)
    {
        if (pairs.Count == 0) return null;
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new UsageException($"--option '{pair}' is not key=value");
            var (key, value) = (pair[..equals].Trim(), pair[(equals + 1)..]);
            values[key] = value switch
            {
                "true" => true,
                "false" => false,
                _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
                _ => value.Trim('\''),
            };
        }
        return JsonSerializer.SerializeToElement(values);
    }
}
