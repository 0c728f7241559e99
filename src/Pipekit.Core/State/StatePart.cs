using System.Reflection;

namespace Pipekit.Core.State;

/// <summary>
/// A part of Pipekit that owns tables in the state store (Core, Sync, Pipelines, Chains, Query). Its migrations
/// are embedded resources named <c>{ResourcePrefix}NNNN_name.sql</c>, numbered 1..N without gaps; where the SQL must
/// differ between the stores, <c>NNNN_name.sqlite.sql</c> and <c>NNNN_name.postgres.sql</c> replace the plain file.
/// Parts migrate in registration order, Core first, so a part may reference Core's tables but not another part's.
/// </summary>
/// <param name="Name">The part's name in <c>schema_version</c>, e.g. <c>sync</c>; never changes once shipped.</param>
public sealed record StatePart(string Name, Assembly Assembly, string ResourcePrefix)
{
    /// <summary>Core's own tables: settings, connections, schedules.</summary>
    public static StatePart Core { get; } = new("core", typeof(StatePart).Assembly, "Pipekit.Core.Migrations.");
}
