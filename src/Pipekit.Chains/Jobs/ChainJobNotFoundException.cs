using Pipekit.Core.Errors;

namespace Pipekit.Chains.Jobs;

/// <summary>No job has this id (or it expired and was collected); the API answers 404.</summary>
public sealed class ChainJobNotFoundException(long id) : NotFoundException($"job {id} does not exist (or it expired past its job_ttl)")
{
    public long JobId { get; } = id;
}
