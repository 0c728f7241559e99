namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// A column's name and type OID, as the raw binary COPY compares a query's result with its destination. A class rather
/// than a tuple: generic code over a reference type is shared and precompiled, over a tuple the JIT compiles it again
/// in every process.
/// </summary>
internal sealed record PostgresColumnOid(string Name, long TypeOid);
