namespace Pipekit.Sync.Modules;

/// <summary>How a full module's run replaces the destination's rows (<c>full_load</c>).</summary>
public enum FullLoad
{
    /// <summary>Load a staging table, then empty the destination and copy staging into it in one transaction: readers block only for the copy.</summary>
    Staging,

    /// <summary>Empty the destination and load the source's rows straight into it, in one transaction: the rows are written once, readers block for the whole load.</summary>
    Direct,

    /// <summary>Load a new table built like the destination, then rename it into place in one transaction: readers never wait for the load.</summary>
    Swap,
}
