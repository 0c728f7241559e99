namespace Pipekit.Core.Drivers;

/// <summary>
/// What to publish: the destination <see cref="Table"/> (the dataset) and the working copy's table holding the run's
/// <see cref="Rows"/> (staging). <see cref="Mode"/> says how those rows join the files already there; a merge drops the
/// rows matching <see cref="MergeKey"/>. <see cref="StatColumns"/> (the merge key and the watermark columns) get a
/// per-file min/max in the manifest.
/// </summary>
public sealed record FilePublishRequest(TableName Table, TableName Rows, FileWriteMode Mode, IReadOnlyList<string> MergeKey,
    IReadOnlyList<string> StatColumns);
