namespace Pipekit.Chains.Layers;

/// <summary>Why the first uncached step of a tail missed, as <c>chain plan</c> and a job's snapshot report it.</summary>
/// <param name="Kind"><c>content_changed</c>, <c>path_added</c>, <c>path_moved</c>, <c>order_changed</c>, <c>engine_changed</c>, <c>not_cached</c>.</param>
/// <param name="StepPath">The step that missed.</param>
/// <param name="Detail">One line for a person.</param>
public sealed record MissReason(string Kind, string StepPath, string Detail);
