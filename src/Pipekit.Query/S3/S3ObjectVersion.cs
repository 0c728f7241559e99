namespace Pipekit.Query.S3;

/// <summary>One object as a listing saw it.</summary>
public sealed record S3ObjectVersion(string Key, string ETag, long Size);
