using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Transfer;

/// <summary>
/// The writing end of a transfer on a connection the caller opened and owns: the driver whose bulk writer loads
/// it and the table and columns to load. Set <see cref="BulkWriteTarget.Transaction"/> to write inside the caller's
/// transaction (e.g. load a staging table, then merge, then commit once).
/// </summary>
public sealed record TransferDestination(DbConnection Connection, IDriver Driver, BulkWriteTarget Target);
