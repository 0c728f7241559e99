using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Groups;
using Pipekit.Cli.Modules;
using Pipekit.Core.Secrets;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Runs;

/// <summary><c>pipekit runs list|show</c>: the run log.</summary>
internal sealed class RunsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("runs", "The run log: every module run, scheduled or manual");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildShow(runner));
        return command;
    }

    private static Command BuildList(CommandRunner runner)
    {
        var module = new Option<string?>("--module") { Description = "Only runs of this module" };
        var group = new Option<string?>("--group") { Description = "Only runs that were part of this group" };
        var status = new Option<string?>("--status") { Description = "queued, running, success, error, cancelled or dry_run" };
        var since = new Option<string?>("--since") { Description = "Only runs started at or after this time (ISO 8601, or e.g. 24h, 7d)" };
        var limit = new Option<int>("--limit") { Description = "How many runs (newest first)", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List runs, newest first") { module, group, status, since, limit, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var runs = await ctx.ReadyAsync<RunLogRepository>(ct);
            var filter = new RunFilter { Limit = ctx.Value(limit), IncludeText = false };
            if (ctx.Value(module) is { } m) filter = filter with { ModuleId = (await ModulesCommand.RequireAsync(await ctx.GetAsync<ModuleRepository>(ct), m, ct)).Id };
            if (ctx.Value(group) is { } g)
                filter = filter with { GroupId = (await GroupsCommand.RequireAsync(await ctx.GetAsync<GroupRepository>(ct), g, ct)).Id };
            if (ctx.Value(status) is { } s)
            {
                try { filter = filter with { Status = RunStatusText.Parse(s) }; }
                catch (ArgumentException) { throw new UsageException($"--status '{s}' is not a run status (queued, running, success, error, cancelled, dry_run)"); }
            }
            if (ctx.Value(since) is { } text) filter = filter with { Since = ParseSince(text) };
            var list = await runs.ListAsync(filter, ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, list.Select(RunSummaryDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (list.Count == 0)
            {
                await ctx.Out.WriteLineAsync("no runs match");
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("ID", right: true).Column("MODULE").Column("STATUS").Column("ROWS", right: true)
                .Column("SECONDS", right: true).Column("STARTED").Column("TRIGGER").Column("ERROR");
            foreach (var r in list)
                table.Row(r.Id.ToString(CultureInfo.InvariantCulture), r.ModuleLabel, RunText.Status(r), r.RowCount?.ToString("N0", CultureInfo.InvariantCulture),
                    r.DurationMs is { } d ? (d / 1000.0).ToString("0.00", CultureInfo.InvariantCulture) : null,
                    r.StartedAt.ToString("u", CultureInfo.InvariantCulture), r.TriggeredBy, RunText.OneLine(r.Error, 160));
            await table.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>success</c>, or <c>success, drift</c> when the verification after the run found a difference; <c>*</c> marks a failed hook.</summary>
    internal static DateTimeOffset ParseSince(string text)
    {
        if (text.Length > 1 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            var span = text[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => (TimeSpan?)null };
            if (span is { } s) return DateTimeOffset.UtcNow - s;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new UsageException($"--since '{text}' is neither an ISO 8601 time nor a span like 30m, 24h or 7d");
    }

    private static Command BuildShow(CommandRunner runner)
    {
        var id = new Argument<long>("id") { Description = "Run id" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("show", "Show a run: resolved source SQL, merge SQL, watermarks, logs and hook log") { id, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var run = await (await ctx.ReadyAsync<RunLogRepository>(ct)).GetAsync(ctx.Value(id), ct)
                ?? throw new CommandFailedException($"no run {ctx.Value(id)}; 'pipekit runs list' shows them");
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, RunDto.From(run), ct);
                return ExitCodes.Success;
            }
            var o = ctx.Out;
            // Stored redacted when the run wrote it; masked again for values that became secrets since.
            var redactor = await ctx.GetAsync<Redactor>(ct);
            await o.WriteLineAsync($"run {run.Id}: module {run.ModuleLabel}, {run.Status.ToText()}{(run.Drift ? ", drift" : "")}{(run.HookFailed ? " (a hook failed)" : "")}");
            if (run.Attempts > 1) await o.WriteLineAsync($"attempts: {run.Attempts} (it retried after transient errors; each attempt is in the live log)");
            if (run.DeletedRows is { } deleted) await o.WriteLineAsync($"delete detection: {deleted} rows left the source");
            await o.WriteLineAsync($"started {run.StartedAt:u}, finished {run.FinishedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-"}, {run.DurationMs?.ToString(CultureInfo.InvariantCulture) ?? "-"} ms, {run.RowCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"} rows");
            await o.WriteLineAsync($"triggered by {run.TriggeredBy}{(run.GroupRunId is { } g ? $" (group run {g})" : "")}");
            if (run.Error is not null) await o.WriteLineAsync($"error: {redactor.Redact(run.Error)}");
            foreach (var (title, text) in new[]
                     {
                         ("watermarks", run.WatermarkValuesJson), ("resolved source SQL", run.ResolvedSourceSql), ("merge SQL", run.MergeSql),
                         ("transfer", run.TransferLog), ("schema changes", run.SchemaChanges), ("verify", run.VerifyJson), ("error detail", run.ErrorDetail), ("hook log", run.HookLog), ("live log", run.LiveLog),
                     })
            {
                if (string.IsNullOrWhiteSpace(text)) continue;
                await o.WriteLineAsync($"\n-- {title}");
                await o.WriteLineAsync(redactor.Redact(text.TrimEnd()));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
