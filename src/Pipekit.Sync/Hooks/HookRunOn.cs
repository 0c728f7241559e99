namespace Pipekit.Sync.Hooks;

/// <summary>When a hook runs relative to the outcome of the module's merge.</summary>
public enum HookRunOn
{
    Success,
    Failure,
    Always,
}
