using Pipekit.Core.Errors;

namespace Pipekit.Sync.Modules;

/// <summary>No module with that id or name.</summary>
public sealed class ModuleNotFoundException(string what) : NotFoundException($"no module {what}; 'pipekit modules list' shows them");
