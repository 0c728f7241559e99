using Pipekit.Core.State;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.State;

public abstract class StateSqlFacts(TestStateStore state)
{
    private const string Table = "CREATE TABLE sample (id BIGINT PRIMARY KEY, parent BIGINT, label TEXT, ratio DOUBLE PRECISION)";

    [Fact]
    public async Task A_null_parameter_keeps_its_type_even_in_a_select_list()
    {
        // PostgreSQL resolves an untyped NULL in a SELECT list as text, which a bigint column refuses.
        await using var fixture = await OpenAsync();
        var c = fixture.Connection;
        await c.ExecAsync("INSERT INTO sample (id, parent, label, ratio) SELECT @id, @parent, @label, @ratio",
            new StateArgs { { "id", 1 }, { "parent", (long?)null }, { "label", (string?)null }, { "ratio", (double?)null } }, null, CancellationToken.None);
        var row = await c.RowAsync("SELECT id, parent, label, ratio FROM sample WHERE id = @id", new StateArgs { { "id", 1 } },
            r => new Sample(r.GetInt64(0), r.Int64OrNull(1), r.TextOrNull(2), r.DoubleOrNull(3)), null, CancellationToken.None);
        Assert.Equal(new Sample(1, null, null, null), row);
    }

    [Fact]
    public async Task Rows_are_read_by_ordinal_in_query_order()
    {
        await using var fixture = await OpenAsync();
        var c = fixture.Connection;
        foreach (var (id, label) in new[] { (2L, "b"), (1L, "a"), (3L, "c") })
            await c.ExecAsync("INSERT INTO sample (id, parent, label, ratio) VALUES (@id, @parent, @label, @ratio)",
                new StateArgs { { "id", id }, { "parent", id - 1 }, { "label", label }, { "ratio", id * 0.5 } }, null, CancellationToken.None);
        var rows = await c.RowsAsync("SELECT id, parent, label, ratio FROM sample ORDER BY id", null,
            r => new Sample(r.GetInt64(0), r.Int64OrNull(1), r.TextOrNull(2), r.DoubleOrNull(3)), null, CancellationToken.None);
        Assert.Equal(new[] { new Sample(1, 0, "a", 0.5), new Sample(2, 1, "b", 1.0), new Sample(3, 2, "c", 1.5) }, rows);
    }

    [Fact]
    public async Task Scalars_are_null_without_a_row_or_value_and_writes_count_their_rows()
    {
        await using var fixture = await OpenAsync();
        var c = fixture.Connection;
        Assert.Null(await c.Int64Async("SELECT id FROM sample WHERE id = 9", null, null, CancellationToken.None));
        Assert.Null(await c.RowAsync("SELECT id FROM sample", null, r => r.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture), null, CancellationToken.None));
        await c.ExecAsync("INSERT INTO sample (id) VALUES (1), (2)", null, null, CancellationToken.None);
        Assert.Null(await c.TextAsync("SELECT label FROM sample WHERE id = 1", null, null, CancellationToken.None));
        Assert.Equal(2, await c.Int64Async("SELECT count(*) FROM sample", null, null, CancellationToken.None));
        await using var tx = await c.BeginTransactionAsync();
        Assert.Equal(2, await c.ExecAsync("UPDATE sample SET label = @label", new StateArgs { { "label", "x" } }, tx, CancellationToken.None));
        await tx.RollbackAsync();
        Assert.Null(await c.TextAsync("SELECT label FROM sample WHERE id = 2", null, null, CancellationToken.None));
    }

    private async Task<Opened> OpenAsync()
    {
        var dir = new TempDirectory();
        var location = await state.LocationAsync(dir.Path);
        var store = location.Open(Migrator.ForParts([StatePart.Core], state.Kind, TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        var connection = await store.OpenAsync(CancellationToken.None);
        await connection.ExecAsync(Table, null, null, CancellationToken.None);
        return new Opened(dir, location, connection);
    }

    private sealed record Sample(long Id, long? Parent, string? Label, double? Ratio);

    private sealed class Opened(TempDirectory dir, TestStateLocation location, System.Data.Common.DbConnection connection) : IAsyncDisposable
    {
        public System.Data.Common.DbConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            await location.DisposeAsync();
            dir.Dispose();
        }
    }

    public sealed class OnSqlite() : StateSqlFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : StateSqlFacts(TestStateStore.Postgres(postgres));
}
