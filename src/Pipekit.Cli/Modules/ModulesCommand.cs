using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Connections;
using Pipekit.Core.Secrets;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Files;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Modules;

/// <summary><c>pipekit modules list|show|delete|apply|export|new</c>.</summary>
internal sealed class ModulesCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("modules", "Sync modules: a source query into a destination table");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildShow(runner));
        command.Subcommands.Add(BuildApply(runner, "apply", "Create or update modules (and groups) from TOML files; validates everything before writing anything", modules: true, groups: true));
        command.Subcommands.Add(BuildExport(runner));
        command.Subcommands.Add(ModuleNewCommand.Build(runner));
        command.Subcommands.Add(BuildDelete(runner));
        return command;
    }

    internal static async Task<Module> RequireAsync(ModuleRepository modules, string name, CancellationToken ct) =>
        await modules.FindAsync(name, ct)
        ?? throw new ModuleNotFoundException(NameSuggestion.Named(name, (await modules.ListAsync(ct)).Select(m => m.Name)));

    internal static Task<Module> RequireAsync(CliContext ctx, ModuleRepository modules, string name, CancellationToken ct) => RequireAsync(modules, name, ct);

    private static Command BuildList(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (the items of GET /api/modules)" };
        var command = new Command("list", "List modules with their last run") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var modules = await ctx.ReadyAsync<ModuleRepository>(ct);
            var runs = await ctx.GetAsync<RunLogRepository>(ct);
            var all = await modules.ListAsync(ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, all.Select(ModuleDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            var rows = new List<(Module Module, RunLogEntry? Last)>();
            foreach (var m in all)
                rows.Add((m, (await runs.ListAsync(new RunFilter { ModuleId = m.Id, Limit = 1, IncludeText = false }, ct)).FirstOrDefault()));
            if (all.Count == 0)
            {
                await ctx.Out.WriteLineAsync("no modules yet; declare them in a TOML file and run 'pipekit modules apply -f FILE'");
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("NAME").Column("STRATEGY").Column("DEST TABLE").Column("LAST RUN").Column("ROWS", right: true).Column("WHEN");
            foreach (var (m, last) in rows)
                table.Row(m.Name + (m.Enabled ? "" : " (off)"), m.MergeStrategy.ToString().ToLowerInvariant(), m.DestTable, m.Running ? "running" : last?.Status.ToText(),
                    last?.RowCount?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), last?.StartedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            await table.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildShow(CommandRunner runner)
    {
        var name = new Argument<string>("module") { Description = "Module name" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("show", "Show a module: its query, columns, watermarks, hooks and the SQL its next run will execute") { name, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var module = await RequireAsync(await ctx.ReadyAsync<ModuleRepository>(ct), ctx.Value(name), ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, ModuleDto.From(module), ct);
                return ExitCodes.Success;
            }
            var connections = (await (await ctx.GetAsync<ConnectionRepository>(ct)).ListAsync(ct)).ToDictionary(c => c.Id);
            string Conn(long id) => connections.TryGetValue(id, out var c) ? c.Name : $"#{id}";
            var o = ctx.Out;
            await o.WriteLineAsync($"module       {module.Name} (id {module.Id}){(module.Enabled ? "" : ", disabled")}{(module.Running ? $", running since {module.LockedAt:u} ({module.LockOwner})" : "")}");
            await o.WriteLineAsync($"source       {Conn(module.SourceConnectionId)}");
            await o.WriteLineAsync($"destination  {Conn(module.DestConnectionId)} {module.DestTable}");
            await o.WriteLineAsync($"strategy     {module.MergeStrategy.ToString().ToLowerInvariant()}{(module.MergeKey is null ? "" : $" on {module.MergeKey}")}");
            if (module.Project is not null) await o.WriteLineAsync($"project      {module.Project}");
            await o.WriteLineAsync();
            await o.WriteLineAsync("-- source query");
            await o.WriteLineAsync(module.SourceQuery.TrimEnd());
            if (module.Columns.Count > 0)
            {
                await o.WriteLineAsync();
                await o.WriteLineAsync("-- columns (source → destination)");
                foreach (var c in module.Columns)
                    await o.WriteLineAsync($"   {c.SourceName,-24} {c.SourceType ?? "",-16} → {c.DestName,-24} {c.DestType}");
            }
            foreach (var w in module.Watermarks)
                await o.WriteLineAsync($"\n-- watermark {{{w.Name}}} on {Conn(w.ConnectionId)} (default {w.DefaultValue ?? "none"})\n{w.ResolverSql.TrimEnd()}");
            foreach (var h in module.Hooks)
                await o.WriteLineAsync($"\n-- hook {h.RunOrder} on {Conn(h.ConnectionId)}, run on {h.RunOn.ToString().ToLowerInvariant()}\n{h.Sql.TrimEnd()}");
            await o.WriteLineAsync();
            await PrintPreviewAsync(ctx, module, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The SQL the next run would execute, resolved now (watermarks read live). When that fails (a connection is down),
    /// the SQL the last run materialised, labelled with that run and its time, and why it could not be resolved now.
    /// </summary>
    private static async Task PrintPreviewAsync(CliContext ctx, Module module, CancellationToken ct)
    {
        var o = ctx.Out;
        // The definition above prints as stored (as the API returns it); what a run resolves from it is run output and is
        // masked, also for values that became secrets after a run stored them.
        var redactor = await ctx.GetAsync<Pipekit.Core.Secrets.Redactor>(ct);
        try
        {
            var preview = await (await ctx.GetAsync<ModulePreviewer>(ct)).PreviewAsync(module.Id, ct);
            foreach (var note in preview.Notes) await o.WriteLineAsync($"note: {redactor.Redact(note)}");
            if (preview.WatermarkValues.Count > 0)
                await o.WriteLineAsync(redactor.Redact($"-- watermarks now: {string.Join(", ", preview.WatermarkValues.Select(v => $"{{{v.Key}}} = {v.Value}"))}"));
            await o.WriteLineAsync("-- next resolved source query (resolved now)");
            await o.WriteLineAsync(redactor.Redact(preview.ResolvedSourceSql.TrimEnd()));
            await o.WriteLineAsync("-- next merge SQL");
            await o.WriteLineAsync(redactor.Redact(preview.MergeSql.TrimEnd()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var last = (await (await ctx.GetAsync<RunLogRepository>(ct)).ListAsync(new RunFilter { ModuleId = module.Id, Limit = 1, IncludeText = false }, ct))
                .FirstOrDefault();
            var label = module.NextResolvedQuery is null || last is null
                ? "not materialised yet"
                : $"stored by run {last.Id} at {last.StartedAt:u}";
            await o.WriteLineAsync($"note: cannot resolve the preview now: {redactor.Redact(Runs.RunText.OneLine(ex.Message, 200))}");
            await o.WriteLineAsync($"-- next resolved source query ({label})");
            await o.WriteLineAsync(module.NextResolvedQuery is { } resolved ? redactor.Redact(resolved.TrimEnd()) : $"('pipekit run {module.Name} --dry-run' resolves it)");
            await o.WriteLineAsync($"-- next merge SQL ({label})");
            await o.WriteLineAsync(module.NextMergeSql is { } merge ? redactor.Redact(merge.TrimEnd()) : "-");
        }
    }

    internal static Command BuildApply(CommandRunner runner, string name, string description, bool modules, bool groups)
    {
        var files = new Option<string[]>("--file", "-f") { Description = "Project file(s) with [[modules]] and/or [[groups]] (see 'pipekit apply' for the whole format)", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command(name, description) { files };
        runner.Bind(command, async (ctx, ct) =>
        {
            var parsed = new List<SyncFile>();
            foreach (var path in ctx.Value(files))
                parsed.Add(await SyncFileParser.ReadAsync(path, ct));
            var changes = await (await ctx.ReadyAsync<SyncFileApplier>(ct)).ApplyAsync(parsed, modules, groups, ct);
            await Project.ApplyReport.PrintAsync(ctx, changes, dryRun: false);
            await Project.ApplyReport.WarnAsync(ctx, changes, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildExport(CommandRunner runner)
    {
        var name = new Argument<string?>("module") { Description = "Module to export; all modules and groups when omitted", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Write modules (and groups) as TOML that 'modules apply' reads back") { name, output };
        runner.Bind(command, async (ctx, ct) =>
        {
            var repository = await ctx.ReadyAsync<ModuleRepository>(ct);
            var connections = (await (await ctx.GetAsync<ConnectionRepository>(ct)).ListAsync(ct)).ToDictionary(c => c.Id);
            var one = ctx.Value(name);
            var modules = one is null ? await repository.ListAsync(ct) : [await RequireAsync(repository, one, ct)];
            var groups = one is null ? await (await ctx.GetAsync<GroupRepository>(ct)).ListAsync(ct) : [];
            var text = SyncFileWriter.Write(modules, groups, connections);
            if (ctx.Value(output) is { } path) await File.WriteAllTextAsync(path, text, ct);
            else await ctx.Out.WriteAsync(text);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildDelete(CommandRunner runner)
    {
        var name = new Argument<string>("module") { Description = "Module name" };
        var command = new Command("delete", "Delete a module with its watermarks, hooks, group memberships and run history") { name };
        runner.Bind(command, async (ctx, ct) =>
        {
            var module = await RequireAsync(await ctx.ReadyAsync<ModuleRepository>(ct), ctx.Value(name), ct);
            await (await ctx.GetAsync<ModuleEditor>(ct)).DeleteAsync(module.Id, ct);
            await ctx.Out.WriteLineAsync($"deleted module '{module.Name}'");
            return ExitCodes.Success;
        });
        return command;
    }
}
