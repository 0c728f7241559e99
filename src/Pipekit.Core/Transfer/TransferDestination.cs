using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Transfer;

/// <summary>
/// The writing end of a transfer on a connection the caller opened and owns: the driver whose bulk writer loads
/// it and the table and columns to load. The rows are committed when the transfer returns.
/// </summary>
public sealed record TransferDestination(DbConnection Connection, IDriver Driver, BulkWriteTarget Target);
