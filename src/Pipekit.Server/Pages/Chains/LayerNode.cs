using Pipekit.Chains.Layers;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// One row of the layer tree: the layer, the tree guide drawn before it (<c>├─</c>, <c>└─</c>, <c>│</c>), whether
/// its parent layer is gone (evicted, so it hangs from its chain's root), and what GC would do with it.
/// </summary>
internal sealed record LayerNode(LayerRecord Layer, string Guide, int Depth, bool ParentGone, string? Drop, bool InUse, DateTimeOffset? ExpiresAt);
