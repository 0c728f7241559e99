using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Verification;

/// <summary>
/// What <c>pipekit verify</c> compares: <see cref="VerifyMode.Counts"/> or <see cref="VerifyMode.Keys"/>, every column
/// with <see cref="Columns"/>, and an optional SQL condition applied on both sides (it names the destination's columns,
/// which are the source query's output names).
/// </summary>
public sealed record VerifyRequest(VerifyMode Mode = VerifyMode.Keys, bool Columns = false, string? Where = null);
