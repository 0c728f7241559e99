using Pipekit.Core.Errors;

namespace Pipekit.Query.Catalog;

/// <summary>No dataset has this name (404).</summary>
public sealed class DatasetNotFoundException(string name)
    : NotFoundException($"dataset '{name}' does not exist; 'pipekit datasets list' shows the registered ones");
