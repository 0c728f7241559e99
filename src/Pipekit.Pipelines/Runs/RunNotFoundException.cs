using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Runs;

/// <summary>No pipeline run with that id.</summary>
public sealed class RunNotFoundException(long id)
    : NotFoundException($"no pipeline run {id}; list runs with 'pipekit pipelines runs'");
