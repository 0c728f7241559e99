using System.Data.Common;
using System.Globalization;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Reads schemas, tables and columns through a dialect's <see cref="ICatalogQueries"/> on an open connection
/// and maps the normalised result columns into <see cref="SchemaInfo"/>, <see cref="TableInfo"/> and
/// <see cref="ColumnInfo"/>, the same way for every engine.
/// </summary>
public sealed class Introspector
{
    private readonly DbConnection _connection;
    private readonly ISqlDialect _dialect;

    public Introspector(DbConnection connection, ISqlDialect dialect)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _dialect = dialect ?? throw new ArgumentNullException(nameof(dialect));
    }

    public async Task<IReadOnlyList<SchemaInfo>> ListSchemasAsync(CancellationToken cancellationToken)
    {
        var schemas = new List<SchemaInfo>();
        await foreach (var row in QueryAsync(_dialect.Catalog.ListSchemas(), cancellationToken))
            schemas.Add(new SchemaInfo(Text(row, "schema_name") ?? ""));
        return schemas;
    }

    /// <summary>Tables and views, filtered by the qualifiers the dialect's browse fields name (e.g. <c>schema</c>).</summary>
    public async Task<IReadOnlyList<TableInfo>> ListTablesAsync(IReadOnlyDictionary<string, string?> qualifiers, CancellationToken cancellationToken)
    {
        var tables = new List<TableInfo>();
        await foreach (var row in QueryAsync(_dialect.Catalog.ListTables(qualifiers), cancellationToken))
            tables.Add(new TableInfo(Text(row, "schema_name"), Text(row, "table_name") ?? "", Text(row, "table_type") ?? "BASE TABLE"));
        return tables;
    }

    /// <summary>The columns of a table in ordinal order; empty when the table does not exist.</summary>
    public async Task<IReadOnlyList<ColumnInfo>> GetColumnsAsync(TableName table, CancellationToken cancellationToken)
    {
        var columns = new List<ColumnInfo>();
        await foreach (var row in QueryAsync(_dialect.Catalog.ListColumns(table), cancellationToken))
        {
            var dataType = Text(row, "data_type") ?? "";
            // Engines without typed catalog columns (SQLite) only have the declared text: "DECIMAL(10,2)".
            var declared = DeclaredType.Parse(dataType);
            var numeric = declared.BaseName is "decimal" or "numeric" or "dec" or "number";
            columns.Add(new ColumnInfo(
                Name: Text(row, "column_name") ?? "",
                DataType: dataType,
                Length: Int(row, "char_length") ?? (numeric ? null : declared.First),
                Precision: Int(row, "numeric_precision") ?? (numeric ? declared.First : null),
                Scale: Int(row, "numeric_scale") ?? (numeric ? declared.Second : null),
                Nullable: Bool(row, "is_nullable") ?? true,
                Ordinal: Int(row, "ordinal") ?? columns.Count + 1));
        }
        return columns;
    }

    public async Task<bool> TableExistsAsync(TableName table, CancellationToken cancellationToken)
    {
        await foreach (var _ in QueryAsync(_dialect.Catalog.TableExists(table), cancellationToken))
            return true;
        return false;
    }

    private async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> QueryAsync(
        CatalogQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
        }
    }

    private static string? Text(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private static int? Int(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) && v is not null && v is not string
            ? Convert.ToInt32(v, CultureInfo.InvariantCulture)
            : row.TryGetValue(column, out var s) && s is string text && int.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static bool? Bool(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) ? v switch
        {
            null => null,
            bool b => b,
            string s => s.Trim().ToUpperInvariant() is "YES" or "Y" or "TRUE" or "1",
            _ => Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0,
        } : null;
}
