using System.Globalization;
using System.Text.RegularExpressions;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Modules;

/// <summary>
/// What saving or applying modules does not do to their destinations, said plainly: a declared <c>dest_type</c> that
/// differs from the existing table's column (apply creates nothing and alters nothing; a run creates a missing table from
/// the declared columns, and widens an existing column only under <c>schema_change = "evolve"</c>), with the exact ALTER
/// for the destination's engine; and two modules writing one destination table (each run replaces or merges over the
/// other's rows).
/// Read-only; every apply (<c>modules apply</c>, <c>pipekit apply</c>) calls it after writing and prints what it says.
/// </summary>
public sealed partial class DestinationCheck
{
    private readonly ModuleRepository _modules;
    private readonly ConnectionRepository _connections;
    private readonly ConnectionFactory _factory;

    public DestinationCheck(ModuleRepository modules, ConnectionRepository connections, ConnectionFactory factory)
    {
        _modules = modules;
        _connections = connections;
        _factory = factory;
    }

    /// <summary>One warning per problem, each naming the module and saying what to do; empty when there is nothing to say.</summary>
    public async Task<IReadOnlyList<string>> WarningsAsync(IReadOnlyCollection<string> moduleNames, CancellationToken cancellationToken)
    {
        var all = await _modules.ListAsync(cancellationToken);
        var checkedModules = all.Where(m => moduleNames.Contains(m.Name)).ToList();
        var connections = (await _connections.ListAsync(cancellationToken)).ToDictionary(c => c.Id);
        var warnings = new List<string>();
        warnings.AddRange(SharedDestinations(checkedModules, all, connections));
        foreach (var module in checkedModules.Where(m => m.Columns.Any(c => !string.IsNullOrWhiteSpace(c.DestType))))
        {
            if (!connections.TryGetValue(module.DestConnectionId, out var dest)) continue;
            try
            {
                warnings.AddRange(await TypeDifferencesAsync(module, dest, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                warnings.Add($"module '{module.Name}': could not compare its declared columns with {module.DestTable} on '{dest.Name}': {FirstLine(ex.Message)}");
            }
        }
        return warnings;
    }

    /// <summary>Modules among <paramref name="checkedModules"/> whose destination table another module also writes.</summary>
    public static IEnumerable<string> SharedDestinations(IReadOnlyList<Module> checkedModules, IReadOnlyList<Module> all,
        IReadOnlyDictionary<long, ConnectionRecord> connections)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in checkedModules)
        {
            var others = all.Where(o => o.Id != module.Id && o.DestConnectionId == module.DestConnectionId
                && string.Equals(Normalise(o.DestTable), Normalise(module.DestTable), StringComparison.Ordinal)).Select(o => o.Name).ToList();
            if (others.Count == 0) continue;
            var names = others.Append(module.Name).Order(StringComparer.Ordinal).ToList();
            if (!reported.Add(string.Join(",", names))) continue;
            var conn = connections.TryGetValue(module.DestConnectionId, out var c) ? c.Name : module.DestConnectionId.ToString(CultureInfo.InvariantCulture);
            yield return $"modules {string.Join(", ", names.Select(n => $"'{n}'"))} all write {module.DestTable} on '{conn}': each run merges over (or, for full, replaces) the others' rows; give each module its own dest_table unless that is intended";
        }
    }

    private async Task<IEnumerable<string>> TypeDifferencesAsync(Module module, ConnectionRecord dest, CancellationToken cancellationToken)
    {
        await using var open = await _factory.OpenAsync(dest, module.Project, cancellationToken);
        var table = TableName.Parse(module.DestTable);
        var introspector = new Introspector(open.Connection, open.Dialect);
        if (!await introspector.TableExistsAsync(table, cancellationToken)) return [];
        var existing = (await introspector.GetColumnsAsync(table, cancellationToken)).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        foreach (var column in module.Columns.Where(c => !string.IsNullOrWhiteSpace(c.DestType)))
        {
            if (!existing.TryGetValue(column.DestName, out var current))
            {
                warnings.Add($"module '{module.Name}': column {column.DestName} is declared but {module.DestTable} on '{dest.Name}' has no such column; "
                    + $"Pipekit does not alter existing tables: run ALTER TABLE {module.DestTable} ADD COLUMN {column.DestName} {column.DestType} there, or drop the table and let the next run create it");
                continue;
            }
            var have = Describe(current);
            if (SameType(column.DestType!, have)) continue;
            if (TypeDifference(module, dest.Name, open.Dialect, table, column, current, have) is { } warning) warnings.Add(warning);
        }
        return warnings;
    }

    // One declared type against the existing column: a widening (the next run makes it under schema_change = "evolve", or
    // the user runs the ALTER), a narrowing or a different kind (never done by Pipekit), or nothing to say where the engine
    // does not enforce declared widths (SQLite holds the wider values as they are).
    private static string? TypeDifference(Module module, string destName, ISqlDialect dialect, TableName table, ModuleColumn column, ColumnInfo current, string have)
    {
        var declared = column.DestType!;
        var said = $"module '{module.Name}': column {column.DestName} is declared {declared} but is {have} in {module.DestTable} on '{destName}'";
        var existing = dialect.ToPortable(current);
        var wanted = dialect.ToPortable(new ColumnInfo(column.DestName, declared));
        // Two spellings of one type in this engine (DuckDB's TEXT is VARCHAR): nothing to say.
        if (existing == wanted) return null;
        var widened = SchemaChanges.SchemaChangePlanner.Widen(existing, wanted);
        var alter = dialect.Ddl.AlterColumnType(table, current.Name, declared);
        if (widened is null)
            return alter is null ? null
                : $"{said}; the existing column already holds every {declared} value and Pipekit never narrows a column; to narrow it anyway, run: {alter}";
        if (widened == SchemaChanges.SchemaChangePlanner.Incompatible)
            return alter is null
                ? $"{said}; apply does not alter existing tables and this engine cannot change a column's type in place: drop the table and let the next run create it from the declared columns"
                : $"{said}; apply does not alter existing tables and no run converts a column to another kind: if the change is safe, run: {alter}";
        if (alter is null) return null;
        return module.SchemaChange == SchemaChangeRule.Evolve
            ? $"{said}; apply does not alter existing tables: the next run widens it (schema_change = \"evolve\") with: {alter}"
            : $"{said}; apply does not alter existing tables: run {alter}, or set schema_change = \"evolve\" on the module and the next run widens it";
    }

    /// <summary>The existing column's type as DDL would spell it: <c>numeric(4,2)</c>, <c>varchar(20)</c>, <c>integer</c>.</summary>
    internal static string Describe(ColumnInfo column) =>
        column.DataType.Contains('(') ? column.DataType
        : column.Precision is { } p && column.Scale is { } s && p > 0 && IsDecimal(column.DataType) ? string.Create(CultureInfo.InvariantCulture, $"{column.DataType}({p},{s})")
        : column.Length is { } l && l > 0 && IsSized(column.DataType) ? string.Create(CultureInfo.InvariantCulture, $"{column.DataType}({l})")
        : column.DataType;

    /// <summary>
    /// True when a declared type and an existing one mean the same thing: names compared through their common synonyms
    /// (<c>int4</c> = <c>integer</c>, <c>character varying</c> = <c>varchar</c>, <c>decimal</c> = <c>numeric</c>), sizes
    /// compared only when both give one.
    /// </summary>
    internal static bool SameType(string declared, string existing)
    {
        var (declaredName, declaredSize) = Split(declared);
        var (existingName, existingSize) = Split(existing);
        if (!string.Equals(declaredName, existingName, StringComparison.Ordinal)) return false;
        return declaredSize is null || existingSize is null || string.Equals(declaredSize, existingSize, StringComparison.Ordinal);
    }

    private static (string Name, string? Size) Split(string type)
    {
        var text = type.Trim().ToLowerInvariant();
        var open = text.IndexOf('(');
        var name = (open < 0 ? text : text[..open]).Trim();
        var size = open < 0 ? null : Spaces().Replace(text[(open + 1)..].TrimEnd(')'), "");
        name = Spaces().Replace(name, " ");
        name = name switch
        {
            "int" or "int4" => "integer",
            "int8" => "bigint",
            "int2" => "smallint",
            "character varying" or "varchar2" or "nvarchar" => "varchar",
            "character" or "bpchar" or "nchar" => "char",
            "decimal" => "numeric",
            "float8" or "double" or "double precision" => "double",
            "float4" => "real",
            "bool" => "boolean",
            "timestamp without time zone" => "timestamp",
            "timestamp with time zone" => "timestamptz",
            _ => name,
        };
        return (name, size);
    }

    private static bool IsDecimal(string type) => type.Contains("numeric", StringComparison.OrdinalIgnoreCase) || type.Contains("decimal", StringComparison.OrdinalIgnoreCase);

    private static bool IsSized(string type) => type.Contains("char", StringComparison.OrdinalIgnoreCase) || type.Contains("binary", StringComparison.OrdinalIgnoreCase);

    private static string Normalise(string table) => string.Join('.', table.Split('.').Select(p => p.Trim().Trim('"', '`', '[', ']').ToLowerInvariant()));

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
