namespace Pipekit.Core.Drivers;

/// <summary>A published file set: the dataset directory (its manifest names the exact files), the format, and the counts.</summary>
public sealed record PublishedFiles(string Directory, string Format, int FileCount, long Rows);
