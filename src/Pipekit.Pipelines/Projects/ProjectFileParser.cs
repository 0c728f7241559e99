using Pipekit.Core.Retries;
using Pipekit.Core.Configuration;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Validation;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Pipekit.Pipelines.Projects;

/// <summary>
/// Parses one <c>pit.toml</c>. Every key of the Pit format is read; an unknown table or key, a wrong type, a bad
/// duration, overlap or cron is a <see cref="ProjectProblem"/> with its line. Parsing goes on after a problem, so one
/// pass reports all of them; checks that need the whole project (names, dependencies, scripts) are the validator's.
/// </summary>
public static class ProjectFileParser
{
    private static readonly string[] DagKeys = ["name", "schedule", "overlap", "timeout", "requires"];
    private static readonly string[] SqlKeys = ["connection"];
    private static readonly string[] TaskKeys = ["name", "script", "runner", "depends_on", "timeout", "retries", "retry_delay", "retry_backoff"];
    private static readonly string[] OutputKeys = ["name", "type", "location"];

    public static async Task<(PitProject? Project, IReadOnlyList<ProjectProblem> Problems)> ReadAsync(string configPath, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(configPath, cancellationToken);
        return Parse(text, Path.GetFullPath(configPath));
    }

    public static (PitProject? Project, IReadOnlyList<ProjectProblem> Problems) Parse(string text, string configPath)
    {
        var directory = Path.GetDirectoryName(configPath)!;
        var directoryName = Path.GetFileName(directory);
        var problems = new List<ProjectProblem>();
        var document = SyntaxParser.Parse(text, configPath, validate: true);
        if (document.HasErrors)
        {
            foreach (var d in document.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error))
                problems.Add(new ProjectProblem(configPath, d.Span.Start.Line + 1, directoryName, null, $"not valid TOML: {d.Message}"));
            return (null, problems);
        }

        // The DAG name first, so that every problem, even one found before [dag].name is read, names the DAG.
        var declaredName = document.Tables.OfType<TableSyntax>().Where(t => TomlSyntaxValues.KeyName(t.Name) == "dag")
            .SelectMany(t => t.Items).Where(kv => TomlSyntaxValues.KeyName(kv.Key) == "name")
            .Select(kv => TomlSyntaxValues.Value(kv.Value) as string).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
        var context = new Context(configPath, declaredName?.Trim() ?? directoryName, problems);
        foreach (var kv in document.KeyValues)
            context.Problem(kv, null, $"key '{TomlSyntaxValues.KeyName(kv.Key)}' is outside any table; pit.toml has [dag], [dag.sql], [[tasks]] and [[outputs]]");

        var dag = new Dictionary<string, (object? Value, KeyValueSyntax Node)>(StringComparer.Ordinal);
        var sql = new Dictionary<string, (object? Value, KeyValueSyntax Node)>(StringComparer.Ordinal);
        var tasks = new List<(TableSyntaxBase Node, Dictionary<string, (object? Value, KeyValueSyntax Node)> Keys)>();
        var outputs = new List<(TableSyntaxBase Node, Dictionary<string, (object? Value, KeyValueSyntax Node)> Keys)>();
        var dagLine = 1;
        foreach (var table in document.Tables)
        {
            var name = TomlSyntaxValues.KeyName(table.Name);
            switch (table, name)
            {
                case (TableArraySyntax, "tasks"):
                    tasks.Add((table, context.Keys(table, TaskKeys, "[[tasks]]")));
                    break;
                case (TableArraySyntax, "outputs"):
                    outputs.Add((table, context.Keys(table, OutputKeys, "[[outputs]]")));
                    break;
                case (TableSyntax, "dag"):
                    dagLine = TomlSyntaxValues.LineOf(table);
                    // [dag] may hold sql.connection as a dotted key; Keys() reports it unless it is routed here.
                    foreach (var (key, entry) in context.Keys(table, [.. DagKeys, "sql.connection"], "[dag]"))
                    {
                        if (key == "sql.connection") sql["connection"] = entry;
                        else dag[key] = entry;
                    }
                    break;
                case (TableSyntax, "dag.sql"):
                    foreach (var (key, entry) in context.Keys(table, SqlKeys, "[dag.sql]")) sql[key] = entry;
                    break;
                default:
                    var shown = table is TableArraySyntax ? $"[[{name}]]" : $"[{name}]";
                    context.Problem(table, null, $"unknown table {shown}; pit.toml has [dag], [dag.sql], [[tasks]] and [[outputs]]");
                    break;
            }
        }

        var dagName = context.String(dag, "name", null) is { } n && n.Trim().Length > 0 ? n.Trim() : directoryName;
        context.Project = dagName;
        var schedule = context.String(dag, "schedule", null);
        if (schedule is not null && dag.TryGetValue("schedule", out var scheduleEntry))
        {
            try
            {
                CronSchedule.Parse(schedule, "UTC");
            }
            catch (ValidationException ex)
            {
                context.Problem(scheduleEntry.Node, null, $"schedule '{schedule}' is not a valid cron expression ({string.Join("; ", ex.Errors.Values.SelectMany(v => v))})");
            }
        }
        var overlap = OverlapPolicy.Skip;
        if (context.String(dag, "overlap", null) is { } overlapText)
        {
            if (!TryParseOverlap(overlapText, out overlap))
                context.Problem(dag["overlap"].Node, null, $"overlap '{overlapText}' is not one of skip, wait, allow");
        }

        var project = new PitProject
        {
            Name = dagName,
            Directory = directory,
            ConfigPath = configPath,
            Line = dagLine,
            Schedule = schedule,
            Overlap = overlap,
            Timeout = context.Duration(dag, "timeout", null),
            Requires = context.Strings(dag, "requires", null),
            SqlConnection = context.String(sql, "connection", null),
            Tasks = tasks.Select(t => ReadTask(context, t.Node, t.Keys)).ToList(),
            Outputs = outputs.Select(o => new PitOutput(
                context.String(o.Keys, "name", null) ?? "", context.String(o.Keys, "type", null), context.String(o.Keys, "location", null))).ToList(),
        };
        return (project, problems);
    }

    public static bool TryParseOverlap(string text, out OverlapPolicy overlap)
    {
        switch (text)
        {
            case "skip": overlap = OverlapPolicy.Skip; return true;
            case "wait": overlap = OverlapPolicy.Wait; return true;
            case "allow": overlap = OverlapPolicy.Allow; return true;
            default: overlap = OverlapPolicy.Skip; return false;
        }
    }

    private static PitTask ReadTask(Context context, TableSyntaxBase node, Dictionary<string, (object? Value, KeyValueSyntax Node)> keys)
    {
        var name = context.String(keys, "name", null) ?? "";
        var backoff = RetryBackoff.Fixed;
        if (context.String(keys, "retry_backoff", name) is { } backoffText)
        {
            if (backoffText == "exponential") backoff = RetryBackoff.Exponential;
            else if (backoffText != "fixed")
                context.Problem(keys["retry_backoff"].Node, name, $"retry_backoff '{backoffText}' is not 'fixed' or 'exponential'");
        }
        var retries = 0;
        if (keys.TryGetValue("retries", out var r))
        {
            if (r.Value is long count && count is >= 0 and <= 100) retries = (int)count;
            else context.Problem(r.Node, name, $"retries must be an integer from 0 to 100, got {Shown(r.Value)}");
        }
        var script = context.String(keys, "script", name);
        if (script is null) context.Problem(node, name, "has no script; add script = \"tasks/<file>\" (a .py, .sh or .sql file in the project)");
        return new PitTask
        {
            Name = name,
            Script = script ?? "",
            Runner = context.String(keys, "runner", name),
            DependsOn = context.Strings(keys, "depends_on", name),
            Timeout = context.Duration(keys, "timeout", name),
            Retries = retries,
            RetryDelay = context.Duration(keys, "retry_delay", name) ?? TimeSpan.Zero,
            RetryBackoff = backoff,
            Line = TomlSyntaxValues.LineOf(node),
        };
    }

    private static string Shown(object? value) => value is string or long or double or bool ? $"{TomlSyntaxValues.Describe(value)} ({value})" : TomlSyntaxValues.Describe(value);

    private sealed class Context(string file, string project, List<ProjectProblem> problems)
    {
        public string Project { get; set; } = project;

        public void Problem(SyntaxNode node, string? task, string message) =>
            problems.Add(new ProjectProblem(file, TomlSyntaxValues.LineOf(node), Project, string.IsNullOrEmpty(task) ? null : task, message));

        public Dictionary<string, (object? Value, KeyValueSyntax Node)> Keys(TableSyntaxBase table, string[] known, string shown)
        {
            var keys = new Dictionary<string, (object? Value, KeyValueSyntax Node)>(StringComparer.Ordinal);
            foreach (var item in table.Items)
            {
                var key = TomlSyntaxValues.KeyName(item.Key);
                if (!known.Contains(key))
                {
                    Problem(item, null, $"unknown key '{key}' in {shown}; known keys: {string.Join(", ", known.Where(k => !k.Contains('.')))}");
                    continue;
                }
                keys[key] = (TomlSyntaxValues.Value(item.Value), item);
            }
            return keys;
        }

        public string? String(Dictionary<string, (object? Value, KeyValueSyntax Node)> keys, string key, string? task)
        {
            if (!keys.TryGetValue(key, out var entry)) return null;
            if (entry.Value is string s) return s;
            Problem(entry.Node, task, $"{key} must be a string, got {TomlSyntaxValues.Describe(entry.Value)}");
            return null;
        }

        public IReadOnlyList<string> Strings(Dictionary<string, (object? Value, KeyValueSyntax Node)> keys, string key, string? task)
        {
            if (!keys.TryGetValue(key, out var entry)) return [];
            if (entry.Value is List<object?> list && list.All(v => v is string)) return list.Cast<string>().ToList();
            Problem(entry.Node, task, $"{key} must be an array of strings, like {key} = [\"a\", \"b\"]");
            return [];
        }

        public TimeSpan? Duration(Dictionary<string, (object? Value, KeyValueSyntax Node)> keys, string key, string? task)
        {
            if (String(keys, key, task) is not { } text) return null;
            if (DurationText.TryParse(text, out var value)) return value;
            Problem(keys[key].Node, task, $"{key} '{text}' is not a duration; write it like \"30s\", \"5m\", \"1h\" or \"1h30m\"");
            return null;
        }
    }
}
