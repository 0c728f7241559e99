namespace Pipekit.Core.Drivers;

/// <summary>How a file destination takes a run's rows (the module's merge strategy).</summary>
public enum FileWriteMode
{
    /// <summary>full: the rows become a new file set that replaces every current file.</summary>
    Replace,

    /// <summary>append: the rows become one more file next to the current ones.</summary>
    Append,

    /// <summary>incremental: the files holding rows that match the merge key are rewritten without them; the rows become one more file.</summary>
    Merge,
}
