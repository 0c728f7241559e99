namespace Pipekit.Core.State;

/// <summary>Which database holds Pipekit's state.</summary>
public enum StoreKind
{
    /// <summary>A SQLite file, <c>$PIPEKIT_HOME/pipekit.db</c> by default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database named by <c>[state] url</c>, for several nodes or an existing backup regime.</summary>
    Postgres,
}
