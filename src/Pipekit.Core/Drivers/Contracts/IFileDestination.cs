using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A driver capability: a destination whose tables live as files rather than in a database (Parquet). Its connection
/// is a working copy the merge runs in as usual; once the merge has committed there, <see cref="PublishAsync"/> writes
/// the table out and swaps the new file set in atomically, so a failure at any point leaves the old files in place.
/// </summary>
public interface IFileDestination
{
    /// <summary>Writes <see cref="FilePublishRequest.Table"/> out from <paramref name="connection"/> and makes it current.</summary>
    Task<PublishedFiles> PublishAsync(ResolvedConnection resolved, DbConnection connection, FilePublishRequest request, CancellationToken cancellationToken);
}
