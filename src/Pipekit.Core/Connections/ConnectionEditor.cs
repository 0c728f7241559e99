using Pipekit.Core.Validation;

namespace Pipekit.Core.Connections;

/// <summary>
/// Creates, changes and deletes connections, for the API and the CLI alike: every change is checked by
/// <see cref="ConnectionValidator"/> and its default destination must exist before anything is saved, so both front
/// ends refuse the same input with the same message.
/// </summary>
public sealed class ConnectionEditor
{
    private readonly ConnectionRepository _connections;
    private readonly ConnectionValidator _validator;

    public ConnectionEditor(ConnectionRepository connections, ConnectionValidator validator)
    {
        _connections = connections;
        _validator = validator;
    }

    /// <summary>Saves a new connection; a taken name is a <see cref="ConnectionNameTakenException"/>.</summary>
    public async Task<ConnectionRecord> CreateAsync(ConnectionRecord draft, CancellationToken cancellationToken)
    {
        var record = _validator.Validate(draft with { Id = 0 });
        await RequireDestinationAsync(record, cancellationToken);
        return await _connections.AddAsync(record, cancellationToken);
    }

    /// <summary>Applies <paramref name="change"/> to the stored connection and saves the result once it validates.</summary>
    public async Task<ConnectionRecord> UpdateAsync(long id, Func<ConnectionRecord, ConnectionRecord> change, CancellationToken cancellationToken)
    {
        var current = await _connections.GetAsync(id, cancellationToken) ?? throw new ConnectionNotFoundException($"with id {id}");
        var record = _validator.Validate(change(current) with { Id = id });
        await RequireDestinationAsync(record, cancellationToken);
        if (!await _connections.UpdateAsync(record, cancellationToken)) throw new ConnectionNotFoundException($"with id {id}");
        return await _connections.GetAsync(id, cancellationToken) ?? throw new ConnectionNotFoundException($"with id {id}");
    }

    /// <summary>Deletes a connection nothing uses; one still in use is a <see cref="ConnectionInUseException"/>.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await _connections.DeleteAsync(id, cancellationToken)) throw new ConnectionNotFoundException($"with id {id}");
    }

    private async Task RequireDestinationAsync(ConnectionRecord record, CancellationToken cancellationToken)
    {
        if (record.DefaultDestConnectionId is { } self && self == record.Id && record.Id != 0)
            throw new ValidationException("default_dest_connection_id", $"connection {self} cannot be its own default destination; name another connection or 0 for none");
        if (record.DefaultDestConnectionId is { } dest && await _connections.GetAsync(dest, cancellationToken) is null)
            throw new ValidationException("default_dest_connection_id", $"connection {dest} does not exist");
    }
}
