using Pipekit.Core.State;

namespace Pipekit.Query.State;

/// <summary>Query's tables in the state store: the dataset catalog.</summary>
public static class QuerySchema
{
    public static StatePart Part { get; } = new("query", typeof(QuerySchema).Assembly, "Pipekit.Query.Migrations.");
}
