namespace Pipekit.Sync.Tests.Fixtures;

/// <summary>The real engines these tests drive.</summary>
public enum Engine
{
    Postgres,
    Sqlite,
    DuckDb,
}
