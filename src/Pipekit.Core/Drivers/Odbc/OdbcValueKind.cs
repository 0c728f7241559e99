namespace Pipekit.Core.Drivers.Odbc;

/// <summary>How a column's values are fetched with SQLGetData and what .NET type they become.</summary>
internal enum OdbcValueKind
{
    String,
    Decimal,
    Boolean,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Date,
    Time,
    Timestamp,
    Binary,
    Guid,
}
