using Pipekit.Core.Errors;

namespace Pipekit.Query.Catalog;

/// <summary>A dataset whose data cannot be found or fetched; recorded as its status, never fatal to a refresh.</summary>
public sealed class DatasetSourceException(string message) : CannotDoHereException(message);
