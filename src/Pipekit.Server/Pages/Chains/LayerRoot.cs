namespace Pipekit.Server.Pages.Chains;

/// <summary>The layers grown from one engine state S0 (one engine kind, version and settings), as a tree in depth-first order.</summary>
internal sealed record LayerRoot(string Engine, string BaseHash, IReadOnlyList<string> Fingerprint, IReadOnlyList<LayerNode> Nodes)
{
    public long Bytes => Nodes.Sum(n => n.Layer.SizeBytes);
}
