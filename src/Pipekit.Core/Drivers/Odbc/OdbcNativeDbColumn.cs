using System.Data.Common;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>Column metadata for <see cref="DbDataReader.GetColumnSchema"/>.</summary>
internal sealed class OdbcNativeDbColumn : DbColumn
{
    public OdbcNativeDbColumn(OdbcColumn column)
    {
        ColumnName = column.Name;
        ColumnOrdinal = column.Ordinal;
        DataType = column.FieldType;
        DataTypeName = column.TypeName;
        AllowDBNull = column.AllowDbNull;
        if (column.Kind == OdbcValueKind.Decimal)
        {
            NumericPrecision = (int)Math.Min(column.Size, int.MaxValue);
            NumericScale = column.DecimalDigits;
        }
        else if (column.Kind is OdbcValueKind.String or OdbcValueKind.Binary && column.Size > 0)
        {
            ColumnSize = (int)Math.Min(column.Size, int.MaxValue);
        }
    }
}
