namespace Pipekit.Core.Diagnostics;

/// <summary>
/// One line of <c>pipekit doctor</c>. Each part registers its own checks; a check returns one or more
/// results (the connections check reports one per connection).
/// </summary>
public interface IDoctorCheck
{
    /// <summary>Short name shown before the result, e.g. <c>config</c>.</summary>
    string Name { get; }

    /// <summary>Lower runs first.</summary>
    int Order { get; }

    Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken);
}
