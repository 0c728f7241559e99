namespace Pipekit.Core.State;

/// <summary>What <see cref="StateBackup.RestoreAsync"/> did.</summary>
/// <param name="Versions">The schema versions of the restored store.</param>
/// <param name="KeptPath">A copy of the store as it was before the restore.</param>
/// <param name="NeedsUpgrade">The restored store is older than this pipekit: the next command migrates it (backing it up first).</param>
public sealed record StateRestoreResult(string Versions, string KeptPath, bool NeedsUpgrade);
