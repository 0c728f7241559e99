namespace Pipekit.Core.Notifications;

/// <summary>One failed member of a group run: the module, its run and the first line of its error.</summary>
public sealed record NoticeMember(string Name, long RunId, string? Error);
