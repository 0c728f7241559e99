namespace Pipekit.Core.Drivers;

/// <summary>
/// A published file set: the dataset directory (its manifest names the exact files), the format, and the counts: every
/// current file and row, the files this run wrote (<see cref="Added"/> new ones, <see cref="Rewritten"/> replacing files
/// it dropped matching rows from) and those it left untouched.
/// </summary>
public sealed record PublishedFiles(string Directory, string Format, int FileCount, long Rows)
{
    public int Added { get; init; }
    public int Rewritten { get; init; }
    public int Untouched { get; init; }
}
