using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>Runs a <see cref="CatalogQuery"/> with plain ADO.NET and returns its rows by column name.</summary>
internal static class CatalogRows
{
    public static async Task<List<Dictionary<string, object?>>> ReadAsync(DbConnection connection, CatalogQuery query)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The normalised ListColumns row as a <see cref="ColumnInfo"/>.</summary>
    public static ColumnInfo ToColumnInfo(Dictionary<string, object?> row) => new(
        (string)row["column_name"]!,
        (string)row["data_type"]!,
        ToInt(row["char_length"]),
        ToInt(row["numeric_precision"]),
        ToInt(row["numeric_scale"]),
        string.Equals((string)row["is_nullable"]!, "YES", StringComparison.OrdinalIgnoreCase),
        ToInt(row["ordinal"]) ?? 0);

    private static int? ToInt(object? value) => value is null ? null : Convert.ToInt32(value);
}
