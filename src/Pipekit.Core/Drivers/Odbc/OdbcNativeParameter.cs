using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// A positional (<c>?</c>) input parameter. The value's own type decides how it is bound;
/// <see cref="DbType"/> matters only for NULL, where it tells the driver what type of NULL to send.
/// </summary>
internal sealed class OdbcNativeParameter : DbParameter
{
    private DbType? _dbType;
    private ParameterDirection _direction = ParameterDirection.Input;

    public OdbcNativeParameter() { }

    public OdbcNativeParameter(object? value)
    {
        Value = value;
    }

    public override DbType DbType
    {
        get => _dbType ?? InferDbType(Value);
        set => _dbType = value;
    }

    /// <summary>True when <see cref="DbType"/> was set rather than inferred from the value.</summary>
    internal bool HasExplicitDbType => _dbType is not null;

    public override ParameterDirection Direction
    {
        get => _direction;
        set => _direction = value == ParameterDirection.Input
            ? value
            : throw new NotSupportedException("ODBC parameters here are input only; return values through a SELECT instead");
    }

    public override bool IsNullable { get; set; } = true;

    [AllowNull]
    public override string ParameterName { get; set; } = "";

    public override int Size { get; set; }

    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    public override bool SourceColumnNullMapping { get; set; }

    public override object? Value { get; set; }

    public override void ResetDbType() => _dbType = null;

    private static DbType InferDbType(object? value) => value switch
    {
        null or DBNull => DbType.Object,
        string or char => DbType.String,
        bool => DbType.Boolean,
        byte => DbType.Byte,
        short => DbType.Int16,
        int => DbType.Int32,
        long => DbType.Int64,
        float => DbType.Single,
        double => DbType.Double,
        decimal => DbType.Decimal,
        DateTime => DbType.DateTime,
        DateTimeOffset => DbType.DateTimeOffset,
        DateOnly => DbType.Date,
        TimeOnly or TimeSpan => DbType.Time,
        Guid => DbType.Guid,
        byte[] => DbType.Binary,
        _ => DbType.Object,
    };
}
