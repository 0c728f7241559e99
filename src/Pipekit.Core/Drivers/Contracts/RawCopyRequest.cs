using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>What a raw copy moves: the query on the source (in the caller's transaction, if any) and the table it fills.</summary>
public sealed record RawCopyRequest(DbConnection Source, DbTransaction? SourceTransaction, string Sql, DbConnection Destination, BulkWriteTarget Target);
