using System.Data.Common;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;

namespace Pipekit.Sync.SchemaChanges;

/// <summary>The columns a source query returns, with their native types, read without reading a row.</summary>
public static class SourceColumns
{
    public static async Task<IReadOnlyList<ColumnInfo>> DescribeAsync(OpenConnection source, string sql, CancellationToken cancellationToken)
    {
        // Wrapped so that no engine computes a row; every engine Pipekit reads accepts a derived table with an alias.
        await using var command = source.Command($"SELECT * FROM ({sql.Trim().TrimEnd(';')}) pipekit_describe WHERE 1 = 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<ColumnInfo>();
        var schema = reader.GetColumnSchema();
        for (var i = 0; i < schema.Count; i++)
        {
            var c = schema[i];
            var type = string.IsNullOrWhiteSpace(c.DataTypeName) ? ClrTypeName(reader.GetFieldType(i)) : c.DataTypeName;
            columns.Add(new ColumnInfo(c.ColumnName, type,
                Length: c.ColumnSize is > 0 and < 1_000_000 && IsText(type) ? c.ColumnSize : null,
                Precision: c.NumericPrecision is > 0 and <= 1000 ? c.NumericPrecision : null,
                Scale: c.NumericPrecision is > 0 and <= 1000 ? c.NumericScale : null,
                Ordinal: i + 1));
        }
        return columns;
    }

    private static bool IsText(string type)
    {
        var t = type.ToLowerInvariant();
        return t.Contains("char", StringComparison.Ordinal) || t.Contains("text", StringComparison.Ordinal) || t.Contains("string", StringComparison.Ordinal);
    }

    private static string ClrTypeName(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "boolean",
        TypeCode.Int16 or TypeCode.Byte or TypeCode.SByte => "smallint",
        TypeCode.Int32 or TypeCode.UInt16 => "integer",
        TypeCode.Int64 or TypeCode.UInt32 => "bigint",
        TypeCode.Decimal => "numeric",
        TypeCode.Single => "real",
        TypeCode.Double => "double precision",
        TypeCode.DateTime => "timestamp",
        _ => type == typeof(Guid) ? "uuid" : type == typeof(byte[]) ? "blob" : "text",
    };
}
