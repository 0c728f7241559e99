namespace Pipekit.Server.Pages.Shared;

/// <summary>A collapsible monospace panel with a copy button (SQL, logs, error detail).</summary>
internal sealed record CodePanel(string Id, string Title, string? Text, bool Open = true, string? Empty = null);
