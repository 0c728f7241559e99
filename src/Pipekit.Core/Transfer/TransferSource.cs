using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Transfer;

/// <summary>
/// The reading end of a transfer on a connection the caller opened and owns: the driver that opened it, the query
/// to stream and, optionally, the caller's transaction to read in.
/// </summary>
public sealed record TransferSource(DbConnection Connection, IDriver Driver, string Sql)
{
    public DbTransaction? Transaction { get; init; }
}
