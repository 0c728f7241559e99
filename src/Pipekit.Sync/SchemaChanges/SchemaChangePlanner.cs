using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.SchemaChanges;

/// <summary>
/// Decides what a run does when the columns it writes no longer fit the destination, by the module's
/// <c>schema_change</c> rule: <c>fail</c> names the missing column and the ALTER that would add it;
/// <c>add_columns</c> adds it, nullable, with the declared type or the driver's mapping of the source type;
/// <c>evolve</c> also widens a column (longer text, more numeric digits, int → bigint). Nothing is ever narrowed or
/// dropped: a type that does not widen fails with the exact ALTER a user could run after deciding it is safe.
/// </summary>
public static class SchemaChangePlanner
{
    /// <summary>The ALTER statements to run on the destination before staging is created, in order.</summary>
    public static IReadOnlyList<string> Plan(SchemaChangeRule rule, ISqlDialect dest, TableName table, IReadOnlyList<WantedColumn> wanted,
        IReadOnlyList<ColumnInfo> existing)
    {
        var statements = new List<string>();
        foreach (var column in wanted)
        {
            var current = existing.FirstOrDefault(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase));
            if (current is null)
            {
                var add = dest.Ddl.AddColumn(table, new ColumnDefinition(column.Name, column.Type));
                if (rule == SchemaChangeRule.Fail)
                    throw new SyncException($"column '{column.Name}' is missing from {table}; add it ({add}) or set schema_change = \"add_columns\"");
                statements.Add(add);
                continue;
            }
            if (rule != SchemaChangeRule.Evolve) continue;
            var have = dest.ToPortable(current);
            var want = dest.ToPortable(new ColumnInfo(column.Name, column.Type));
            var widened = Widen(have, want);
            if (widened is null) continue;
            if (widened == Incompatible)
            {
                // An engine that does not enforce declared types (SQLite) holds the new values as they are.
                if (dest.Ddl.AlterColumnType(table, current.Name, column.Type) is not { } manual) continue;
                throw new SyncException(
                    $"column '{current.Name}' of {table} is {current.DataType} and the source now gives {column.Type}, which is not a widening; " +
                    $"Pipekit never narrows or converts a column on its own. If the change is safe, run: {manual}");
            }
            // The wanted type as written when it is the widening (varchar(40) stays varchar(40)); else the rendered merge of both.
            var type = widened.Value == want ? column.Type : dest.RenderType(widened.Value);
            if (dest.Ddl.AlterColumnType(table, current.Name, type) is { } alter)
                statements.Add(alter);
        }
        return statements;
    }

    /// <summary>What <see cref="Widen"/> returns when the kinds differ and neither holds the other.</summary>
    internal static readonly PortableType Incompatible = new((PortableKind)(-1));

    /// <summary>The type <paramref name="have"/> must become to hold <paramref name="want"/>; null when it already does.</summary>
    internal static PortableType? Widen(PortableType have, PortableType want)
    {
        if (have.Kind == want.Kind)
        {
            switch (have.Kind)
            {
                case PortableKind.Text:
                    if (have.Length is null || want.Length is not null && want.Length <= have.Length) return null;
                    return want;
                case PortableKind.Decimal:
                    if (have.Precision is null) return null;
                    if (want.Precision is null) return new PortableType(PortableKind.Decimal);
                    var scale = Math.Max(have.Scale ?? 0, want.Scale ?? 0);
                    var digits = Math.Max(have.Precision.Value - (have.Scale ?? 0), want.Precision.Value - (want.Scale ?? 0));
                    return digits + scale == have.Precision && scale == (have.Scale ?? 0) ? null : new PortableType(PortableKind.Decimal, digits + scale, scale);
                default:
                    return null;
            }
        }
        var rank = IntegerRank(have.Kind);
        var wantRank = IntegerRank(want.Kind);
        if (rank > 0 && wantRank > 0) return wantRank > rank ? want : null;
        // Holding what the source sends is all that matters: an integer fits a wide decimal or a text column,
        // a float32 a float64.
        if (wantRank > 0 && have is { Kind: PortableKind.Decimal, Precision: null }) return null;
        if (want.Kind == PortableKind.Float32 && have.Kind == PortableKind.Float64) return null;
        if (want.Kind == PortableKind.Float64 && have.Kind == PortableKind.Float32) return want;
        if (have.Kind == PortableKind.Text && have.Length is null) return null;
        return Incompatible;
    }

    private static int IntegerRank(PortableKind kind) => kind switch
    {
        PortableKind.Int16 => 1,
        PortableKind.Int32 => 2,
        PortableKind.Int64 => 3,
        _ => 0,
    };
}
