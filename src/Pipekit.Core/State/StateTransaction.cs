using System.Data.Common;

namespace Pipekit.Core.State;

/// <summary>
/// One transaction on the state store that several repositories write through, so a change that spans aggregates
/// (a project file's connections, modules, groups and schedules) lands whole or not at all. Disposing it without
/// <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class StateTransaction : IAsyncDisposable
{
    private bool _committed;

    private StateTransaction(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    internal static async Task<StateTransaction> BeginAsync(StateStore store, CancellationToken cancellationToken)
    {
        var connection = await store.OpenAsync(cancellationToken);
        try
        {
            return new StateTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await Transaction.RollbackAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // already completed by the provider (a failed statement on PostgreSQL aborts the transaction)
            }
        }
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
