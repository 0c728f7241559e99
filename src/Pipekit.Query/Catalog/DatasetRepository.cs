using System.Text.Json;
using Dapper;
using System.Data.Common;
using Pipekit.Core.State;

namespace Pipekit.Query.Catalog;

/// <summary>The <c>dataset</c> table. Input is validated before it gets here (<see cref="DatasetValidator"/>).</summary>
public sealed class DatasetRepository(StateStore store, TimeProvider time) : IDatasetStore
{
    private const string Columns = """
        id AS Id, name AS Name, uri AS Uri, format AS Format, options AS Options, source AS Source, etag AS Etag,
        status AS Status, last_error AS LastError, refreshed_at AS RefreshedAt, created_at AS CreatedAt, updated_at AS UpdatedAt, module AS Module
        """;

    public async Task<IReadOnlyList<Dataset>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM dataset ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDataset()).ToList();
    }

    public async Task<Dataset?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM dataset WHERE name = @name", new { name },
            cancellationToken: cancellationToken));
        return row?.ToDataset();
    }

    public async Task<Dataset> AddAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        var now = StateClock.Format(time.GetUtcNow());
        await using var c = await store.OpenAsync(cancellationToken);
        try
        {
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO dataset (name, uri, format, options, source, module, status, created_at, updated_at)
                VALUES (@Name, @Uri, @Format, @Options, @Source, @Module, 'pending', @Now, @Now)
                RETURNING id
                """,
                new { dataset.Name, dataset.Uri, dataset.Format, Options = JsonSerializer.Serialize(dataset.Options), dataset.Source, dataset.Module, Now = now },
                cancellationToken: cancellationToken));
            return (await FindAsync(dataset.Name, cancellationToken)) ?? throw new InvalidOperationException($"dataset {id} vanished after insert");
        }
        catch (DbException e) when (store.IsUniqueViolation(e, "dataset"))
        {
            throw new DatasetNameTakenException(dataset.Name);
        }
    }

    public async Task UpdateDefinitionAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE dataset SET uri = @Uri, format = @Format, options = @Options, updated_at = @UpdatedAt WHERE name = @Name",
            new { dataset.Name, dataset.Uri, dataset.Format, Options = JsonSerializer.Serialize(dataset.Options), UpdatedAt = StateClock.Format(dataset.UpdatedAt) },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> ClaimForModuleAsync(string name, string module, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE dataset SET source = 'sync', module = @module WHERE name = @name AND source <> 'catalog'",
            new { name, module }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM dataset WHERE name = @name", new { name }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task RecordRefreshAsync(string name, string status, string? lastError, string? etag, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE dataset SET status = @status, last_error = @lastError, etag = @etag, refreshed_at = @now WHERE name = @name",
            new { name, status, lastError, etag, now = StateClock.Format(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    private sealed record Row(long Id, string Name, string Uri, string Format, string Options, string Source, string? Etag, string Status, string? LastError,
        string? RefreshedAt, string CreatedAt, string UpdatedAt, string? Module)
    {
        public Dataset ToDataset() => new()
        {
            Id = Id,
            Name = Name,
            Uri = Uri,
            Format = Format,
            Options = DatasetOptions.Parse(Options),
            Source = Source,
            Module = Module,
            Etag = Etag,
            Status = Status,
            LastError = LastError,
            RefreshedAt = RefreshedAt is null ? null : StateClock.Parse(RefreshedAt),
            CreatedAt = StateClock.Parse(CreatedAt),
            UpdatedAt = StateClock.Parse(UpdatedAt),
        };
    }
}
