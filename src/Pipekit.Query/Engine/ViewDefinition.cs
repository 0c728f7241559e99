namespace Pipekit.Query.Engine;

/// <summary>
/// One view to publish: <c>CREATE OR REPLACE VIEW "Name" AS Select</c>. <see cref="Files"/> and
/// <see cref="Directories"/> are what the view reads, and so what the sandbox allows (<c>allowed_paths</c>,
/// <c>allowed_directories</c>); nothing else on disk is readable from a query.
/// </summary>
public sealed record ViewDefinition(string Name, string Select, IReadOnlyList<string> Files, IReadOnlyList<string> Directories);
