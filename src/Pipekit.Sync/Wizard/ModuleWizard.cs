using System.Text;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Wizard;

/// <summary>
/// The new-module wizard's backend (seed 002 "New module wizard"): browse a source connection's tables and
/// columns, and propose a module built from the driver defaults — lowercase aliases, default source
/// expressions (RTRIM for text, the sentinel-date CASE on DB2), destination types mapped through the portable
/// type system, and the destination <c>{default_dest_schema}.{lowercase table}</c>. The proposal is a module that
/// saves and runs as it is.
/// </summary>
public sealed class ModuleWizard
{
    private readonly ConnectionRepository _connections;
    private readonly ConnectionFactory _factory;
    private readonly ModuleRepository _modules;

    public ModuleWizard(ConnectionRepository connections, ConnectionFactory factory, ModuleRepository modules)
    {
        _connections = connections;
        _factory = factory;
        _modules = modules;
    }

    /// <summary>The qualifier fields of the connection's dialect (e.g. <c>schema</c>).</summary>
    public async Task<IReadOnlyList<BrowseField>> BrowseFieldsAsync(long connectionId, CancellationToken cancellationToken) =>
        _factory.DialectOf(await RequireAsync(connectionId, cancellationToken)).BrowseFields;

    public async Task<IReadOnlyList<TableInfo>> ListTablesAsync(long connectionId, IReadOnlyDictionary<string, string?> qualifiers,
        CancellationToken cancellationToken)
    {
        await using var open = await _factory.OpenAsync(await RequireAsync(connectionId, cancellationToken), null, cancellationToken);
        return await new Introspector(open.Connection, open.Dialect).ListTablesAsync(qualifiers, cancellationToken);
    }

    /// <summary>The columns of a table; a table that does not exist is a validation error on <c>table_name</c>.</summary>
    public async Task<IReadOnlyList<ColumnInfo>> ListColumnsAsync(long connectionId, string? tableName, IReadOnlyDictionary<string, string?> qualifiers,
        CancellationToken cancellationToken)
    {
        var source = await RequireAsync(connectionId, cancellationToken);
        await using var open = await _factory.OpenAsync(source, null, cancellationToken);
        return await ColumnsAsync(open, source, tableName, qualifiers, cancellationToken);
    }

    /// <summary>
    /// A module for one source table, not saved: merge strategy full, every column in with its defaults.
    /// The destination is <paramref name="destConnectionId"/>, else the source's <c>default_dest_connection_id</c>,
    /// else the destination of the most recently changed module (the seed's "last-used dest").
    /// </summary>
    public async Task<Module> ProposeAsync(long connectionId, string? tableName, IReadOnlyDictionary<string, string?> qualifiers,
        long? destConnectionId, CancellationToken cancellationToken)
    {
        var source = await RequireAsync(connectionId, cancellationToken);
        var modules = await _modules.ListAsync(cancellationToken);
        var destId = destConnectionId ?? source.DefaultDestConnectionId ?? modules.OrderByDescending(m => m.UpdatedAt).FirstOrDefault()?.DestConnectionId
            ?? throw new ValidationException("dest_connection_id",
                $"connection '{source.Name}' has no default_dest_connection_id and no module exists to take a destination from; set default_dest_connection_id on the connection or pass dest_connection_id");
        var dest = await _connections.GetAsync(destId, cancellationToken)
            ?? throw new ValidationException("dest_connection_id", $"connection {destId} does not exist");

        await using var open = await _factory.OpenAsync(source, null, cancellationToken);
        var columns = await ColumnsAsync(open, source, tableName, qualifiers, cancellationToken);
        var sourceDialect = open.Dialect;
        var destDialect = _factory.DialectOf(dest);

        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var proposed = new List<ModuleColumn>();
        var select = new StringBuilder("SELECT");
        foreach (var column in columns.OrderBy(c => c.Ordinal))
        {
            var alias = Unique(ColumnAlias.Default(column.Name), aliases);
            select.Append(proposed.Count == 0 ? "\n    " : ",\n    ")
                .Append(sourceDialect.DefaultExpression(column)).Append(" AS ").Append(sourceDialect.QuoteIdentifier(alias));
            proposed.Add(new ModuleColumn(column.Name, SourceType(column), alias, destDialect.RenderType(sourceDialect.ToPortable(column))));
        }
        var table = TableName.FromQualifiers(tableName!.Trim(), qualifiers);
        select.Append("\nFROM ").Append(sourceDialect.QualifyTable(table));

        var lowercase = table.Table.ToLowerInvariant();
        var destTable = !string.IsNullOrWhiteSpace(source.DefaultDestSchema) && destDialect.Ddl.SupportsSchemas
            ? $"{source.DefaultDestSchema.Trim()}.{lowercase}"
            : lowercase;
        var names = modules.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return new Module
        {
            Name = Unique(ColumnAlias.Default(table.Table), names),
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = destTable,
            SourceQuery = select.ToString(),
            MergeStrategy = MergeStrategy.Full,
            Columns = proposed,
            Enabled = true,
        };
    }

    private static async Task<IReadOnlyList<ColumnInfo>> ColumnsAsync(OpenConnection open, ConnectionRecord source, string? tableName,
        IReadOnlyDictionary<string, string?> qualifiers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(tableName)) throw new ValidationException("table_name", "is required");
        var table = TableName.FromQualifiers(tableName.Trim(), qualifiers);
        var columns = await new Introspector(open.Connection, open.Dialect).GetColumnsAsync(table, cancellationToken);
        if (columns.Count == 0)
            throw new ValidationException("table_name", $"table {table} was not found on connection '{source.Name}' (or it has no columns)");
        return columns;
    }

    private async Task<ConnectionRecord> RequireAsync(long connectionId, CancellationToken cancellationToken) =>
        await _connections.GetAsync(connectionId, cancellationToken)
        ?? throw new ValidationException("connection_id", $"connection {connectionId} does not exist");

    private static string SourceType(ColumnInfo column) =>
        column.DataType.Contains('(') ? column.DataType
        : column.Precision is { } p && column.Scale is { } s && p > 0 ? $"{column.DataType}({p},{s})"
        : column.Length is { } l && l > 0 ? $"{column.DataType}({l})"
        : column.DataType;

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++) candidate = $"{name}_{n}";
        return candidate;
    }
}
