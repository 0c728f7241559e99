using Pipekit.Core.Retries;
using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Pipekit.Sync.Files;

/// <summary>Reads a project file (connections, modules, groups and their schedules); every problem names the file, the entry and the key.</summary>
public static class SyncFileParser
{
    public static async Task<SyncFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new ValidationException("file", $"{path} not found");
        return Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
    }

    public static SyncFile Parse(string text, string path)
    {
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new ValidationException("file", $"{path}:{ex.Line}: {FirstLine(ex.Message)}");
        }
        RequireGroupedTableArrays(text, path);
        var top = new Fields(root, path);
        top.OnlyKeys(["connections", "modules", "groups"], ("connection", "connections"));
        var connections = top.Tables("connections").Select((t, i) => ReadConnection(new Fields(t, $"{path}: connections[{i}]"))).ToList();
        var modules = top.Tables("modules").Select((t, i) => ReadModule(new Fields(t, $"{path}: modules[{i}]"))).ToList();
        var groups = top.Tables("groups").Select((t, i) => ReadGroup(new Fields(t, $"{path}: groups[{i}]"))).ToList();
        return new SyncFile(path, modules, groups) { Connections = connections };
    }

    private static ConnectionSpec ReadConnection(Fields f)
    {
        var name = f.String("name");
        var at = f.Renamed($"{f.Where} ({name})");
        at.OnlyKeys(["name", "driver", "url", "username", "password", "dialect", "project", "default_dest_connection", "default_dest_schema", "notes"],
            ("user", "username"), ("default_destination", "default_dest_connection"));
        return new ConnectionSpec
        {
            Name = name, Driver = at.OptionalString("driver"), Url = at.String("url"), Username = at.OptionalString("username"),
            Password = at.OptionalString("password"), Dialect = at.OptionalString("dialect"), Project = at.OptionalString("project"),
            DefaultDestConnection = at.OptionalString("default_dest_connection"), DefaultDestSchema = at.OptionalString("default_dest_schema"),
            Notes = at.OptionalString("notes"),
        };
    }

    private static ModuleSpec ReadModule(Fields f)
    {
        // The keys are the API's field names; the first file format's names stay accepted as aliases.
        var name = f.String("name");
        var at = f.Renamed($"{f.Where} ({name})");
        at.OnlyKeys(["name", "project", "source", "destination", "dest_table", "source_query", "merge_strategy", "merge_key", "enabled", "notes",
            "delete_detection", "keys_query", "allow_empty_source", "schema_change", "verify", "hooks_may_fail", "full_load", "retries", "retry_delay", "retry_backoff", "columns", "watermarks", "hooks"],
            ("strategy", "merge_strategy"));
        return new ModuleSpec
        {
            Name = name,
            Project = at.OptionalString("project"),
            Source = at.String("source"),
            Destination = at.String("destination"),
            DestTable = at.String("dest_table"),
            SourceQuery = at.String("source_query"),
            Strategy = at.String("merge_strategy"),
            MergeKey = at.OptionalString("merge_key"),
            Enabled = at.OptionalBool("enabled") ?? true,
            Notes = at.OptionalString("notes"),
            DeleteDetection = at.OptionalString("delete_detection"),
            KeysQuery = at.OptionalString("keys_query"),
            AllowEmptySource = at.OptionalBool("allow_empty_source") ?? false,
            SchemaChange = at.OptionalString("schema_change"),
            Verify = at.OptionalString("verify"),
            HooksMayFail = at.OptionalBool("hooks_may_fail") ?? false,
            FullLoad = at.OptionalString("full_load"),
            Retries = at.OptionalLong("retries"),
            RetryDelay = at.OptionalString("retry_delay"),
            RetryBackoff = at.OptionalString("retry_backoff"),
            Columns = at.Tables("columns").Select((t, i) =>
            {
                var c = new Fields(t, $"{at.Where} columns[{i}]");
                c.OnlyKeys(["source_name", "source_type", "dest_name", "dest_type"]);
                var source = c.String("source_name");
                return new ModuleColumn(source, c.OptionalString("source_type"), c.OptionalString("dest_name") ?? source, c.OptionalString("dest_type"));
            }).ToList(),
            Watermarks = at.Tables("watermarks").Select((t, i) =>
            {
                var w = new Fields(t, $"{at.Where} watermarks[{i}]");
                w.OnlyKeys(["name", "connection", "resolver_sql", "default_value"], ("default", "default_value"));
                return new WatermarkSpec(w.String("name"), w.String("connection"), w.String("resolver_sql"), w.OptionalString("default_value"));
            }).ToList(),
            Hooks = at.Tables("hooks").Select((t, i) =>
            {
                var h = new Fields(t, $"{at.Where} hooks[{i}]");
                h.OnlyKeys(["run_order", "connection", "sql", "run_on"], ("order", "run_order"));
                return new HookSpec((int)(h.OptionalLong("run_order") ?? i + 1), h.String("connection"), h.String("sql"), h.OptionalString("run_on") ?? "success");
            }).ToList(),
        };
    }

    private static GroupSpec ReadGroup(Fields f)
    {
        var name = f.String("name");
        var at = f.Renamed($"{f.Where} ({name})");
        at.OnlyKeys(["name", "stop_on_failure", "modules", "schedules"]);
        return new GroupSpec(name, at.OptionalBool("stop_on_failure") ?? false, at.Strings("modules"))
        {
            Schedules = at.Tables("schedules").Select((t, i) =>
            {
                var s = new Fields(t, $"{at.Where} schedules[{i}]");
                s.OnlyKeys(["cron_expr", "timezone", "enabled"], ("cron", "cron_expr"), ("time_zone", "timezone"));
                return new ScheduleSpec(s.String("cron_expr"), s.OptionalString("timezone") ?? "UTC", s.OptionalBool("enabled") ?? true);
            }).ToList(),
        };
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    // TOML lets [[modules]] entries be split by other tables, but Tomlyn (2.10) starts the array afresh when its header
    // comes back after another table, silently dropping the entries before it. Such a file is refused rather than
    // applied with modules missing.
    private static void RequireGroupedTableArrays(string text, string path)
    {
        string? current = null;
        var finished = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in SyntaxParser.Parse(text, path, validate: false).Tables)
        {
            var name = table.Name?.Key switch
            {
                BareKeySyntax bare => bare.Key?.Text,
                StringValueSyntax quoted => quoted.Value,
                _ => null,
            };
            if (name == current) continue;
            if (name is not null && finished.Contains(name))
                throw new ValidationException("file",
                    $"{path}:{table.Span.Start.Line + 1}: the [[{name}]] entries are split by other tables; keep every [[{name}]] entry, with its sub-tables, in one block");
            if (current is not null) finished.Add(current);
            current = name;
        }
    }

    /// <summary>Typed access to one TOML table with errors that say where.</summary>
    private sealed class Fields(TomlTable table, string where)
    {
        public string Where { get; } = where;

        public Fields Renamed(string newWhere) => new(table, newWhere);

        /// <summary>
        /// Refuses keys that are neither known nor an alias (with the nearest known key as a hint), and moves each
        /// alias to its key; an entry that gives both is refused rather than one of them silently winning.
        /// </summary>
        public void OnlyKeys(string[] keys, params (string Alias, string Key)[] aliases)
        {
            foreach (var key in table.Keys.ToList())
            {
                if (keys.Contains(key)) continue;
                if (aliases.FirstOrDefault(a => a.Alias == key) is { Key: { } canonical })
                {
                    if (table.ContainsKey(canonical))
                        throw new ValidationException("file", $"{Where}: give '{canonical}' or its old name '{key}', not both");
                    table[canonical] = table[key];
                    table.Remove(key);
                    continue;
                }
                throw new ValidationException("file",
                    $"{Where}: unknown key '{key}'{ClosestName.Hint(key, keys.Concat(aliases.Select(a => a.Alias)))} (expected one of: {string.Join(", ", keys)})");
            }
        }

        public string String(string key) => OptionalString(key) is { Length: > 0 } s ? s : throw Missing(key, "a string");

        public string? OptionalString(string key) => Get(key) switch
        {
            null => null,
            string s => s,
            var other => throw Wrong(key, "a string", other),
        };

        public bool? OptionalBool(string key) => Get(key) switch
        {
            null => null,
            bool b => b,
            var other => throw Wrong(key, "true or false", other),
        };

        public long? OptionalLong(string key) => Get(key) switch
        {
            null => null,
            long n => n,
            var other => throw Wrong(key, "an integer", other),
        };

        public IReadOnlyList<string> Strings(string key) => Get(key) switch
        {
            null => [],
            TomlArray a when a.All(x => x is string) => a.Cast<string>().ToList(),
            var other => throw Wrong(key, "an array of strings", other),
        };

        public IReadOnlyList<TomlTable> Tables(string key) => Get(key) switch
        {
            null => [],
            TomlTableArray a => a.ToList(),
            var other => throw Wrong(key, $"[[{key}]] tables", other),
        };

        private object? Get(string key) => table.TryGetValue(key, out var v) ? v : null;

        private ValidationException Missing(string key, string what) => new("file", $"{Where}: '{key}' is required ({what})");

        private ValidationException Wrong(string key, string what, object value) =>
            new("file", $"{Where}: '{key}' must be {what}, not {value.GetType().Name}");
    }
}
