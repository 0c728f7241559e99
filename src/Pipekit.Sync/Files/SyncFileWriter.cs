using Pipekit.Core.Retries;
using System.Globalization;
using System.Text;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Scheduling;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Files;

/// <summary>Writes project files in the format <see cref="SyncFileParser"/> reads (<c>pipekit export</c>, <c>pipekit modules export</c>).</summary>
public static class SyncFileWriter
{
    /// <summary>Modules and groups only (<c>pipekit modules export</c>).</summary>
    public static string Write(IEnumerable<Module> modules, IEnumerable<Group> groups, IReadOnlyDictionary<long, ConnectionRecord> connections) =>
        Write([], modules, groups, [], connections);

    /// <summary>
    /// A whole project: <paramref name="declared"/> connections, modules, groups, and the groups' schedules. Connections
    /// are written as stored: a password or URL is a <c>$NAME</c> reference, never a value.
    /// </summary>
    public static string Write(IEnumerable<ConnectionRecord> declared, IEnumerable<Module> modules, IEnumerable<Group> groups,
        IEnumerable<Schedule> groupSchedules, IReadOnlyDictionary<long, ConnectionRecord> connections)
    {
        var toml = new StringBuilder("# Pipekit project; apply with: pipekit apply -f FILE\n");
        string Name(long id) => connections.TryGetValue(id, out var c) ? c.Name : id.ToString(CultureInfo.InvariantCulture);
        foreach (var c in declared)
        {
            toml.Append("\n[[connections]]\n");
            Line(toml, "name", c.Name);
            Line(toml, "driver", c.Driver);
            Line(toml, "url", c.Url);
            if (c.Username is not null) Line(toml, "username", c.Username);
            if (!string.IsNullOrEmpty(c.Password)) Line(toml, "password", c.Password);
            if (c.Dialect is not null) Line(toml, "dialect", c.Dialect);
            if (c.Project is not null) Line(toml, "project", c.Project);
            if (c.DefaultDestConnectionId is { } dest) Line(toml, "default_dest_connection", Name(dest));
            if (c.DefaultDestSchema is not null) Line(toml, "default_dest_schema", c.DefaultDestSchema);
            if (c.Notes is not null) Line(toml, "notes", c.Notes);
        }
        var schedulesByGroup = groupSchedules.ToLookup(s => s.TargetId);
        foreach (var m in modules)
        {
            toml.Append("\n[[modules]]\n");
            Line(toml, "name", m.Name);
            if (m.Project is not null) Line(toml, "project", m.Project);
            Line(toml, "source", Name(m.SourceConnectionId));
            Line(toml, "destination", Name(m.DestConnectionId));
            Line(toml, "dest_table", m.DestTable);
            Line(toml, "merge_strategy", m.MergeStrategy.ToString().ToLowerInvariant());
            if (m.MergeKey is not null) Line(toml, "merge_key", m.MergeKey);
            if (!m.Enabled) toml.Append("enabled = false\n");
            if (m.Notes is not null) Line(toml, "notes", m.Notes);
            if (m.DeleteDetection != DeleteDetection.None) Line(toml, "delete_detection", m.DeleteDetection.ToText());
            if (m.KeysQuery is not null) Line(toml, "keys_query", m.KeysQuery);
            if (m.AllowEmptySource) toml.Append("allow_empty_source = true\n");
            if (m.SchemaChange != SchemaChangeRule.Fail) Line(toml, "schema_change", m.SchemaChange.ToText());
            if (m.Verify != VerifyMode.None) Line(toml, "verify", m.Verify.ToText());
            if (m.HooksMayFail) toml.Append("hooks_may_fail = true\n");
            if (m.FullLoad != FullLoad.Staging) Line(toml, "full_load", m.FullLoad.ToText());
            if (m.Retries != 0) toml.Append(CultureInfo.InvariantCulture, $"retries = {m.Retries}\n");
            if (m.RetryDelay != RetryPolicy.DefaultDelay) Line(toml, "retry_delay", DurationText.Format(m.RetryDelay));
            if (m.RetryBackoff != RetryBackoff.Fixed) Line(toml, "retry_backoff", m.RetryBackoff.ToText());
            Line(toml, "source_query", m.SourceQuery);
            foreach (var c in m.Columns)
            {
                toml.Append("\n[[modules.columns]]\n");
                Line(toml, "source_name", c.SourceName);
                if (c.SourceType is not null) Line(toml, "source_type", c.SourceType);
                Line(toml, "dest_name", c.DestName);
                if (c.DestType is not null) Line(toml, "dest_type", c.DestType);
            }
            foreach (var w in m.Watermarks)
            {
                toml.Append("\n[[modules.watermarks]]\n");
                Line(toml, "name", w.Name);
                Line(toml, "connection", Name(w.ConnectionId));
                Line(toml, "resolver_sql", w.ResolverSql);
                if (w.DefaultValue is not null) Line(toml, "default_value", w.DefaultValue);
            }
            foreach (var h in m.Hooks)
            {
                toml.Append("\n[[modules.hooks]]\n");
                toml.Append(CultureInfo.InvariantCulture, $"run_order = {h.RunOrder}\n");
                Line(toml, "connection", Name(h.ConnectionId));
                Line(toml, "run_on", h.RunOn.ToString().ToLowerInvariant());
                Line(toml, "sql", h.Sql);
            }
        }
        foreach (var g in groups)
        {
            toml.Append("\n[[groups]]\n");
            Line(toml, "name", g.Name);
            if (g.StopOnFailure) toml.Append("stop_on_failure = true\n");
            toml.Append("modules = [").AppendJoin(", ", g.Members.OrderBy(x => x.RunOrder).Select(x => Quote(x.ModuleName ?? ""))).Append("]\n");
            foreach (var s in schedulesByGroup[g.Id].OrderBy(s => s.Id))
            {
                toml.Append("\n[[groups.schedules]]\n");
                Line(toml, "cron_expr", s.CronExpr);
                Line(toml, "timezone", s.Timezone);
                if (!s.Enabled) toml.Append("enabled = false\n");
            }
        }
        return toml.ToString();
    }

    private static void Line(StringBuilder toml, string key, string value) => toml.Append(key).Append(" = ").Append(Quote(value)).Append('\n');

    /// <summary>Multi-line SQL reads best as a literal ''' block; anything that can't be one is an escaped basic string.</summary>
    private static string Quote(string value)
    {
        if (value.Contains('\n') && !value.Contains("'''", StringComparison.Ordinal) && !value.EndsWith('\'') && !value.Contains('\r'))
            return $"'''\n{value}'''";
        var s = new StringBuilder("\"");
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    if (char.IsControl(ch)) s.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}");
                    else s.Append(ch);
                    break;
            }
        }
        return s.Append('"').ToString();
    }
}
