using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Projects;

/// <summary>No DAG or task of that name in the workspace.</summary>
public sealed class PipelineNotFoundException(string message) : NotFoundException(message);
