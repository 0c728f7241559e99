namespace Pipekit.Sync.Merge;

/// <summary>The statements of one merge, run in order inside one destination transaction.</summary>
public sealed record MergePlan(IReadOnlyList<string> Statements)
{
    /// <summary>The plan as one script, as stored on the module and in the run log.</summary>
    public string Text => string.Join(";\n", Statements) + ";";
}
