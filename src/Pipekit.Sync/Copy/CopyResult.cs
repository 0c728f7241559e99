using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Copy;

/// <summary>What a copy ran (the module, kept only when saved), how the run ended, and its run-log row as it was at the end.</summary>
public sealed record CopyResult(Module Module, bool Saved, RunResult Result, RunLogEntry? Run);
