namespace Pipekit.Core.Drivers;

/// <summary>A qualifier field of the wizard's table browser: <c>schema</c>, or SQL Server's <c>linked_server</c>/<c>database</c>/<c>schema</c>.</summary>
public sealed record BrowseField(string Name, string Label, bool Required, string? DefaultValue = null);
