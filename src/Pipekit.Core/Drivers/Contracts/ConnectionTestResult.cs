namespace Pipekit.Core.Drivers;

/// <summary>
/// The outcome of <see cref="ConnectionTester.TestAsync"/>: whether the probe query ran, how long connecting and
/// probing took, the server product and version (<c>PostgreSQL 15.4</c>) on success, a one-line error otherwise.
/// </summary>
public sealed record ConnectionTestResult(bool Ok, TimeSpan Elapsed, string? ServerVersion, string? Error);
