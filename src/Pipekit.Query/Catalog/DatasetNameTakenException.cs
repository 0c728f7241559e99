using Pipekit.Core.Errors;

namespace Pipekit.Query.Catalog;

/// <summary>A dataset with this name exists already (409).</summary>
public sealed class DatasetNameTakenException(string name)
    : ConflictException($"a dataset named '{name}' exists already; remove it first or choose another name");
