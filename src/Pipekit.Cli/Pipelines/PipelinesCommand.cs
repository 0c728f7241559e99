using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;
using Pipekit.Server.Api.Contracts;

namespace Pipekit.Cli.Pipelines;

/// <summary><c>pipekit pipelines list|validate|run|resume|logs|runs|audit|new</c>: Pit-compatible DAG projects.</summary>
internal sealed class PipelinesCommand : ICliCommand
{
    private readonly Option<string?> _projectDir = new("--project-dir")
    {
        Description = "Workspace holding projects/*/pit.toml (default: [pipelines].workspace, else $PIPEKIT_HOME/workspace)",
        Recursive = true,
    };

    public Command Build(CommandRunner runner)
    {
        var command = new Command("pipelines", "Pipelines: DAGs of .sql/.py/.sh tasks (Pit projects), their runs, logs and secret reads") { _projectDir };
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildValidate(runner));
        command.Subcommands.Add(BuildRun(runner));
        command.Subcommands.Add(BuildResume(runner));
        command.Subcommands.Add(BuildLogs(runner));
        command.Subcommands.Add(BuildRuns(runner));
        command.Subcommands.Add(BuildAudit(runner));
        command.Subcommands.Add(BuildNew(runner));
        return command;
    }

    private void Bind(CommandRunner runner, Command command, Func<CliContext, CancellationToken, Task<int>> handler) =>
        runner.Bind(command, (ctx, ct) =>
        {
            ctx.WorkspaceOverride = ctx.Parse.GetValue(_projectDir) is { } dir ? Path.GetFullPath(dir) : null;
            return handler(ctx, ct);
        });

    private static Option<bool> Json() => new("--json") { Description = "Print JSON" };

    private static (string Dag, string? Task) SplitTarget(string target)
    {
        var slash = target.IndexOf('/');
        return slash < 0 ? (target, null) : (target[..slash], target[(slash + 1)..]);
    }

    private Command BuildList(CommandRunner runner)
    {
        var json = Json();
        var command = new Command("list", "List the DAGs of the workspace with their schedule and latest run") { json };
        Bind(runner, command, async (ctx, ct) =>
        {
            var workspace = await ctx.GetAsync<Workspace>(ct);
            var report = await workspace.LoadAsync(ct);
            var runs = await ctx.ReadyAsync<PipelineRunRepository>(ct);
            var rows = new List<object>();
            foreach (var p in report.Projects)
            {
                var latest = (await runs.ListAsync(p.Name, null, null, 1, ct)).FirstOrDefault();
                rows.Add(new
                {
                    name = p.Name, directory = p.Directory, tasks = p.Tasks.Count, schedule = p.Schedule, overlap = p.Overlap.ToString().ToLowerInvariant(),
                    problems = report.ProblemsOf(p.Name).Count, latest_run_id = latest?.Id, latest_status = latest?.Status.ToText(),
                });
                if (ctx.Value(json)) continue;
                var last = latest is null ? "never run" : $"run {latest.Id} {latest.Status.ToText()} {latest.CreatedAt:u}";
                var problems = report.ProblemsOf(p.Name).Count is var n && n > 0 ? $"  ({n} problem(s): pipekit pipelines validate)" : "";
                await ctx.Out.WriteLineAsync($"{p.Name,-24} {p.Tasks.Count,3} task(s)  {p.Schedule ?? "manual",-14} {last}{problems}");
            }
            if (ctx.Value(json)) await JsonOutput.WriteAsync(ctx, rows, ct);
            else if (report.Projects.Count == 0)
                await ctx.Out.WriteLineAsync($"no projects in {workspace.ProjectsDirectory}; create one with 'pipekit pipelines new NAME --type python|sql|shell'");
            return ExitCodes.Success;
        });
        return command;
    }

    private Command BuildValidate(CommandRunner runner)
    {
        var dag = new Argument<string?>("dag") { Description = "Only this DAG (default: the whole workspace)", Arity = ArgumentArity.ZeroOrOne };
        var json = Json();
        var command = new Command("validate", "Check every project and report every problem at once (exit 1 when there are any)") { dag, json };
        Bind(runner, command, async (ctx, ct) =>
        {
            var workspace = await ctx.GetAsync<Workspace>(ct);
            var report = await workspace.LoadAsync(ct);
            var only = ctx.Value(dag);
            if (only is not null && report.Projects.All(p => p.Name != only) && report.Problems.All(p => p.Project != only))
                throw new PipelineNotFoundException($"no DAG '{only}' in {workspace.Root}; known DAGs: {string.Join(", ", report.Projects.Select(p => p.Name))}");
            var problems = report.Problems.Where(p => only is null || p.Project == only).ToList();
            var projects = report.Projects.Where(p => only is null || p.Name == only).ToList();
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, new ValidationReportDto(workspace.Root, projects.Select(p => p.Name).ToList(),
                    problems.Select(ProjectProblemDto.From).ToList(), problems.Count == 0), ct);
                return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
            }
            foreach (var p in problems) await ctx.Out.WriteLineAsync(p.ToString());
            if (projects.Count == 0 && problems.Count == 0)
                await ctx.Out.WriteLineAsync($"no projects in {workspace.ProjectsDirectory}; create one with 'pipekit pipelines new NAME --type python|sql|shell'");
            else if (problems.Count == 0)
                await ctx.Out.WriteLineAsync($"{projects.Count} DAG(s) valid: {string.Join(", ", projects.Select(p => p.Name))}");
            else
                await ctx.Out.WriteLineAsync($"{problems.Count} problem(s) in {problems.Select(p => p.Project).Distinct().Count()} DAG(s)");
            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private Command BuildRun(CommandRunner runner)
    {
        var target = new Argument<string>("dag") { Description = "DAG, or DAG/TASK to run one task alone (its dependencies are skipped)" };
        var force = new Option<bool>("--force") { Description = "Run even when a DAG in requires has not succeeded since this DAG's last run" };
        var command = new Command("run", "Run a DAG now and wait for it; --verbose streams task output as [task] lines; Ctrl-C cancels") { target, force };
        Bind(runner, command, async (ctx, ct) =>
        {
            var (dag, task) = SplitTarget(ctx.Value(target));
            var service = await ctx.ReadyAsync<PipelineRunService>(ct);
            if (task is not null)
            {
                var project = await service.Workspace.GetValidAsync(dag, ct);
                var dependencies = project.FindTask(task)?.DependsOn ?? [];
                await ctx.Error.WriteLineAsync(dependencies.Count == 0
                    ? $"warning: running {dag}/{task} alone"
                    : $"warning: running {dag}/{task} alone; its dependencies are not run: {string.Join(", ", dependencies)}");
            }
            var output = ctx.Out;
            var request = new PipelineRunRequest
            {
                Dag = dag, OnlyTask = task, Force = ctx.Value(force), TriggeredBy = "cli",
                Output = ctx.Verbose ? line => { lock (output) output.WriteLine(line); } : null,
            };
            var result = await service.RunAsync(request, new ProgressPrinter(output), ct);
            await RunSummary.WriteAsync(output, dag, result);
            return result.Outcome.Status == PipelineRunStatus.Success ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private Command BuildResume(CommandRunner runner)
    {
        var runId = new Argument<long>("run-id") { Description = "The run to resume (see 'pipekit pipelines runs')" };
        var command = new Command("resume", "Re-run the failed tasks of a run and the tasks after them that did not run, in its snapshot, as its next attempt; tasks that succeeded are kept") { runId };
        Bind(runner, command, async (ctx, ct) =>
        {
            var service = await ctx.ReadyAsync<PipelineRunService>(ct);
            var output = ctx.Out;
            var result = await service.ResumeAsync(ctx.Value(runId), ctx.Verbose ? line => { lock (output) output.WriteLine(line); } : null,
                new ProgressPrinter(output), ct);
            var run = await (await ctx.GetAsync<PipelineRunRepository>(ct)).GetAsync(result.RunId, ct);
            await RunSummary.WriteAsync(output, run?.DagName ?? "run", result);
            return result.Outcome.Status == PipelineRunStatus.Success ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private Command BuildLogs(CommandRunner runner)
    {
        var target = new Argument<string>("dag") { Description = "DAG, or DAG/TASK for one task's log" };
        var runId = new Option<long?>("--run-id") { Description = "Which run (default: the DAG's latest)" };
        var command = new Command("logs", "Print task logs of a run (the latest attempt of each task)") { target, runId };
        Bind(runner, command, async (ctx, ct) =>
        {
            var (dag, task) = SplitTarget(ctx.Value(target));
            var runs = await ctx.ReadyAsync<PipelineRunRepository>(ct);
            var run = ctx.Value(runId) is { } id
                ? await runs.GetAsync(id, ct) ?? throw new RunNotFoundException(id)
                : (await runs.ListAsync(dag, null, null, 1, ct)).FirstOrDefault()
                  ?? throw new PipelineNotFoundException($"DAG '{dag}' has no runs yet; start one with 'pipekit pipelines run {dag}'");
            if (run.DagName != dag) throw new PipelineNotFoundException($"run {run.Id} is a run of '{run.DagName}', not '{dag}'");
            var tasks = (await runs.TasksAsync(run.Id, ct)).Where(t => t.RunAttempt == run.Attempt && (task is null || t.Task == task)).ToList();
            if (task is not null && tasks.Count == 0)
                throw new PipelineNotFoundException($"run {run.Id} of '{dag}' has no task '{task}'");
            await ctx.Out.WriteLineAsync($"run {run.Id} of {dag}, attempt {run.Attempt}: {run.Status.ToText()}{(run.StatusDetail is null ? "" : $" ({run.StatusDetail})")}");
            foreach (var t in tasks)
            {
                await ctx.Out.WriteLineAsync($"== {t.Task} ({t.Status.ToText()}, {t.Attempts} attempt(s)){(t.StatusDetail is null ? "" : $": {t.StatusDetail}")}");
                var path = t.LogPath ?? (run.RunDir is null ? null : Path.Combine(run.RunDir, "logs", t.Task + ".log"));
                if (path is not null && File.Exists(path)) await ctx.Out.WriteAsync(await File.ReadAllTextAsync(path, ct));
                else await ctx.Out.WriteLineAsync("(no log: the task did not run)");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private Command BuildRuns(CommandRunner runner)
    {
        var dag = new Option<string?>("--dag") { Description = "Only runs of this DAG" };
        var status = new Option<string?>("--status") { Description = "queued, running, success, failed, cancelled or skipped" };
        var limit = new Option<int>("--limit") { Description = "How many runs (newest first)", DefaultValueFactory = _ => 20 };
        var json = Json();
        var command = new Command("runs", "List pipeline runs, newest first") { dag, status, limit, json };
        Bind(runner, command, async (ctx, ct) =>
        {
            PipelineRunStatus? wanted = null;
            if (ctx.Value(status) is { } s)
            {
                try { wanted = StatusText.ParseRun(s); }
                catch (FormatException) { throw new UsageException($"--status must be queued, running, success, failed, cancelled or skipped, not '{s}'"); }
            }
            var runs = await (await ctx.ReadyAsync<PipelineRunRepository>(ct)).ListAsync(ctx.Value(dag), wanted, null, ctx.Value(limit), ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, runs.Select(PipelineRunDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (runs.Count == 0) await ctx.Out.WriteLineAsync("no pipeline runs yet; start one with 'pipekit pipelines run DAG'");
            foreach (var r in runs)
            {
                var duration = r.StartedAt is { } st && r.FinishedAt is { } fi ? DurationText.Format(fi - st) : "-";
                await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Id,6} {r.DagName,-24} {r.Status.ToText(),-10} {r.CreatedAt:u} {duration,9} {r.TriggeredBy,-12} attempt {r.Attempt}{(r.StatusDetail is null ? "" : $"  {r.StatusDetail}")}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private Command BuildAudit(CommandRunner runner)
    {
        var runId = new Option<long?>("--run-id") { Description = "Only reads of this run" };
        var dag = new Option<string?>("--dag") { Description = "Only reads by runs of this DAG" };
        var limit = new Option<int>("--limit") { Description = "How many reads (newest first)", DefaultValueFactory = _ => 100 };
        var json = Json();
        var command = new Command("audit", "Secret reads over the SDK socket: run, task, key, time, found or not (never the value)") { runId, dag, limit, json };
        Bind(runner, command, async (ctx, ct) =>
        {
            var reads = await (await ctx.ReadyAsync<SecretAuditRepository>(ct)).ListAsync(ctx.Value(runId), ctx.Value(dag), ctx.Value(limit), ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, reads.Select(SecretAccessDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (reads.Count == 0) await ctx.Out.WriteLineAsync("no secret reads recorded");
            foreach (var a in reads)
                await ctx.Out.WriteLineAsync($"{a.AccessedAt:u}  run {a.RunId,-6} {a.DagName}/{a.Task,-16} {a.Method,-16} {a.Key}{(a.Field is null ? "" : "." + a.Field),-24} {(a.Found ? "found" : "NOT FOUND")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private Command BuildNew(CommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "The DAG name (also the project directory)" };
        var type = new Option<string>("--type") { Description = "python, sql or shell", DefaultValueFactory = _ => "python" };
        type.AcceptOnlyFromAmong(ProjectScaffold.Types);
        var command = new Command("new", "Create a project with one task that validates and runs at once") { name, type };
        Bind(runner, command, async (ctx, ct) =>
        {
            var environment = await ctx.EnvironmentAsync(ct);
            var workspace = ctx.WorkspaceOverride ?? environment.PipelinesWorkspace;
            foreach (var line in await ProjectScaffold.CreateAsync(workspace, ctx.Value(name), ctx.Value(type), environment.SecretsPath, ct))
                await ctx.Out.WriteLineAsync($"wrote {line}");
            var projectDir = ctx.WorkspaceOverride is null ? "" : $" --project-dir {ctx.WorkspaceOverride}";
            await ctx.Out.WriteLineAsync($"next: pipekit pipelines validate{projectDir} && pipekit pipelines run {ctx.Value(name)}{projectDir}");
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed class ProgressPrinter(TextWriter output) : IExecutionListener
    {
        public Task TaskStartedAsync(string task, int attempt, DateTimeOffset startedAt, CancellationToken cancellationToken)
        {
            lock (output) output.WriteLine(attempt > 1 ? $"-> {task} (attempt {attempt})" : $"-> {task}");
            return Task.CompletedTask;
        }

        public Task TaskFinishedAsync(TaskResult result, CancellationToken cancellationToken)
        {
            if (result.StartedAt is not null)
                lock (output) output.WriteLine($"<- {result.Task} {result.Status.ToText()}{(result.Detail is null ? "" : $" ({result.Detail})")}");
            return Task.CompletedTask;
        }
    }
}
