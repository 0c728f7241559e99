namespace Pipekit.Sync.Modules;

/// <summary>The verification a module runs after every successful run (<c>verify</c>).</summary>
public enum VerifyMode
{
    None,

    /// <summary>Row counts of source and destination.</summary>
    Counts,

    /// <summary>Row counts and an order-independent hash of the merge key.</summary>
    Keys,
}
