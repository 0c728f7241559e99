namespace Pipekit.Core.Drivers;

/// <summary>The engine-neutral type a native column type maps through on its way to a destination dialect.</summary>
public enum PortableKind
{
    Boolean,
    Int16,
    Int32,
    Int64,
    Decimal,
    Float32,
    Float64,
    Text,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Uuid,
    Binary,
    Json,
    /// <summary>Months, days and microseconds (PostgreSQL's interval, DuckDB's INTERVAL); text where the engine has no such type.</summary>
    Interval,
}

/// <summary>A portable type with its optional precision/scale (decimals) or length (text).</summary>
public readonly record struct PortableType(PortableKind Kind, int? Precision = null, int? Scale = null, int? Length = null)
{
    public override string ToString() => Kind switch
    {
        PortableKind.Decimal when Precision is not null => $"decimal({Precision},{Scale ?? 0})",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
