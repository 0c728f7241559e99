using Pipekit.Core.Drivers;
using Pipekit.Sync.Columns;
using Pipekit.Sync.Modules;

namespace Pipekit.Server.Api.Contracts;

/// <summary>Body of the introspection routes: a connection, a table (for columns and propose) and the driver's qualifiers (e.g. <c>schema</c>).</summary>
internal sealed record IntrospectRequest(long? ConnectionId, string? TableName, IReadOnlyDictionary<string, string?>? Qualifiers, long? DestConnectionId)
{
    public IReadOnlyDictionary<string, string?> QualifierMap => Qualifiers ?? new Dictionary<string, string?>();
}

internal sealed record TableDto(string? Schema, string Name, string Type)
{
    public static TableDto From(TableInfo t) => new(t.Schema, t.Name, t.Type);
}

internal sealed record ColumnDto(string Name, string DataType, int? Length, int? Precision, int? Scale, bool Nullable, int Ordinal)
{
    public static ColumnDto From(ColumnInfo c) => new(c.Name, c.DataType, c.Length, c.Precision, c.Scale, c.Nullable, c.Ordinal);
}

/// <summary>The columns of a module: the SELECT list parsed from its source query, and the declared <c>columns_json</c>.</summary>
internal sealed record ModuleColumnsDto(long ModuleId, bool Parsed, string? Error, IReadOnlyList<SelectColumnDto> Columns, IReadOnlyList<ModuleColumn> Declared);

internal sealed record SelectColumnDto(int Position, string Expression, string? Alias, string? Name)
{
    public static SelectColumnDto From(SelectColumn c) => new(c.Position, c.Expression, c.Alias, c.Name);
}
