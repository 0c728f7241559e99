namespace Pipekit.Core.Drivers;

/// <summary>A column as introspected from a catalog.</summary>
public sealed record ColumnInfo(
    string Name,
    string DataType,
    int? Length = null,
    int? Precision = null,
    int? Scale = null,
    bool Nullable = true,
    int Ordinal = 0);
