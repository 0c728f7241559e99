using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Tests.Fixtures;

/// <summary>The incremental orders module the delete, schema-change and verification tests start from.</summary>
internal static class CorrectnessModules
{
    /// <summary>Incremental on <c>version &gt; {version}</c>, keyed by region and order number.</summary>
    public static Module Incremental(ConnectionRecord source, ConnectionRecord dest) =>
        Orders.Module(source, dest, MergeStrategy.Incremental, Orders.Select + " WHERE version > {version}") with
        {
            MergeKey = "region, order_no",
            Watermarks = [Orders.VersionWatermark(dest)],
        };
}
