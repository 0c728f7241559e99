namespace Pipekit.Sync.Modules;

/// <summary>
/// What an incremental module does with destination rows whose merge key is no longer in the source
/// (<c>delete_detection</c>). The source's key set comes from the module's keys query.
/// </summary>
public enum DeleteDetection
{
    /// <summary>Rows that left the source stay in the destination.</summary>
    None,

    /// <summary>They are deleted, in the merge transaction.</summary>
    Hard,

    /// <summary>They get <c>_pipekit_deleted_at</c> set, in the merge transaction; the column is added when missing.</summary>
    Soft,
}
