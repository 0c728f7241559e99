using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Chains.Engines;

/// <summary>
/// A database a chain writes to — a layer being built or a job's instance — with its open connection. The engine
/// that made it drops it; the connection is closed before the database is sealed, published or dropped.
/// </summary>
internal sealed class ChainDatabase(string name, DbConnection connection, IDriver driver) : IAsyncDisposable
{
    public string Name { get; } = name;

    public DbConnection Connection { get; } = connection;

    public IDriver Driver { get; } = driver;

    /// <summary>How it was made, for the job's log: "a copy", "a ready spare clone", or one the job waited for.</summary>
    public string Origin { get; init; } = "a copy";

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
