using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: a destination whose tables live as files rather than in a database (Parquet). Its connection
/// is a working copy where a published table is a read-only view over its files (watermarks, introspection and staging
/// work as usual); the run's rows are staged there and <see cref="PublishAsync"/> writes them out and swaps the new file
/// set in atomically, so a failure at any point leaves the old files in place. No merge SQL runs on the working copy.
/// </summary>
public interface IFileDestination
{
    /// <summary>
    /// The table whose columns a schema change alters: for a published table an empty table shaped like its files (the
    /// view reads it too, so an added column appears at once); for one created in this run, the table itself.
    /// </summary>
    Task<TableName> SchemaTableAsync(DbConnection connection, TableName table, CancellationToken cancellationToken);

    /// <summary>Writes <see cref="FilePublishRequest.Rows"/> out from <paramref name="connection"/> and makes the new file set current.</summary>
    Task<PublishedFiles> PublishAsync(ResolvedConnection resolved, DbConnection connection, FilePublishRequest request, CancellationToken cancellationToken);
}
