using Pipekit.Core.Errors;

namespace Pipekit.Sync.Groups;

/// <summary>No group with that id or name.</summary>
public sealed class GroupNotFoundException(string what) : NotFoundException($"no group {what}; 'pipekit groups list' shows them");
