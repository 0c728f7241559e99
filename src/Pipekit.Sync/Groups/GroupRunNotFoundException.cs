using Pipekit.Core.Errors;

namespace Pipekit.Sync.Groups;

/// <summary>No group run with that id.</summary>
public sealed class GroupRunNotFoundException(long id) : NotFoundException($"no group run {id}; 'pipekit group-runs list' shows them");
