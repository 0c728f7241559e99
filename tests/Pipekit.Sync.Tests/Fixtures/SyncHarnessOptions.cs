using Pipekit.Core.Configuration;
using Pipekit.Testing;

namespace Pipekit.Sync.Tests.Fixtures;

/// <summary>What a test may change about the installation a <see cref="SyncHarness"/> builds.</summary>
internal sealed record SyncHarnessOptions
{
    /// <summary>Written to the <c>[global]</c> section of the installation's secrets file.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    public PipekitConfig Config { get; init; } = new();

    /// <summary>The state store: the SQLite file, or a fresh database of the test cluster.</summary>
    public TestStateStore Store { get; init; } = TestStateStore.Sqlite;

    /// <summary>Registered as the <see cref="TimeProvider"/> after <c>AddPipekitCore</c> (a fake clock); null keeps the system clock.</summary>
    public TimeProvider? Time { get; init; }
}
