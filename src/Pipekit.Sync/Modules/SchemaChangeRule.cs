namespace Pipekit.Sync.Modules;

/// <summary>What a run does when the source's columns no longer fit the destination (<c>schema_change</c>).</summary>
public enum SchemaChangeRule
{
    /// <summary>The run fails and names the column (the default).</summary>
    Fail,

    /// <summary>A column the destination lacks is added, nullable, before the merge.</summary>
    AddColumns,

    /// <summary>As <see cref="AddColumns"/>, and a destination column is widened when the source's type widens; never narrowed or dropped.</summary>
    Evolve,
}
