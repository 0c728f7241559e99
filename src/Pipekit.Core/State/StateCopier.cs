using System.Data.Common;
using Dapper;

namespace Pipekit.Core.State;

/// <summary>
/// <c>pipekit state copy</c>: moves every row of every part's tables from a SQLite store into an empty PostgreSQL store,
/// in one PostgreSQL transaction, keeping ids. Parents are copied before the rows that reference them; a column that
/// references its own table is filled in after all of that table's rows exist. Each identity sequence is then moved
/// past the largest id, so new rows never reuse one, and the row counts of every table are compared before commit.
/// The SQLite store is held for writing while it is read, so the copy is one consistent snapshot.
/// </summary>
public static class StateCopier
{
    // Written by the migrations themselves; a store holding only these is empty.
    private static readonly HashSet<string> Seeded = new(StringComparer.Ordinal) { "schema_version", "change_version" };

    /// <summary>Copies <paramref name="from"/> (SQLite) into <paramref name="to"/> (an empty PostgreSQL store); returns the counts per table.</summary>
    public static async Task<IReadOnlyList<TableCount>> CopyAsync(StateStore from, StateStore to, CancellationToken cancellationToken)
    {
        if (from.Kind != StoreKind.Sqlite) throw new StateException($"the current state store {from.Location} is not a SQLite file; state copy moves a SQLite store to PostgreSQL");
        if (to.Kind != StoreKind.Postgres) throw new StateException("state copy copies into a PostgreSQL store; give --to postgres://user@host:port/database");
        await from.EnsureReadyAsync(cancellationToken);
        await to.InitializeAsync(cancellationToken);

        await using var source = await from.OpenAsync(cancellationToken);
        await using var sourceTx = await source.BeginTransactionAsync(cancellationToken);
        await using var target = await to.OpenAsync(cancellationToken);
        await using var tx = await target.BeginTransactionAsync(cancellationToken);

        var tables = (await from.Database.TablesAsync(source, sourceTx, cancellationToken)).Where(t => t != "schema_version").ToList();
        var targetTables = (await to.Database.TablesAsync(target, tx, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (tables.FirstOrDefault(t => !targetTables.Contains(t)) is { } missing)
            throw new StateException($"the PostgreSQL store {to.Location} has no table {missing}; both stores must be made by this pipekit");

        var holding = new List<string>();
        foreach (var table in tables.Where(t => !Seeded.Contains(t)))
        {
            var rows = await CountAsync(target, tx, table, cancellationToken);
            if (rows > 0) holding.Add($"{table}: {rows}");
        }
        if (holding.Count > 0)
            throw new StateException($"the PostgreSQL store {to.Location} is not empty ({string.Join(", ", holding)}); state copy only fills an empty store");

        var references = await ReferencesAsync(target, tx, cancellationToken);
        var ordered = DependencyOrder(tables, references);
        try
        {
            // Only the rows the migrations seeded are there; they are replaced by the source's.
            foreach (var table in Enumerable.Reverse(ordered))
                await target.ExecuteAsync(new CommandDefinition($"DELETE FROM {table}", transaction: tx, cancellationToken: cancellationToken));
            foreach (var table in ordered)
            {
                var selfColumns = references.Where(r => r.Child == table && r.Parent == table).Select(r => r.Column).ToHashSet(StringComparer.Ordinal);
                await CopyTableAsync(source, sourceTx, target, tx, table, selfColumns, cancellationToken);
            }
            await ResetIdentitiesAsync(target, tx, cancellationToken);

            var counts = new List<TableCount>();
            foreach (var table in tables)
                counts.Add(new TableCount(table, await CountAsync(source, sourceTx, table, cancellationToken), await CountAsync(target, tx, table, cancellationToken)));
            if (counts.FirstOrDefault(c => c.Source != c.Target) is { } wrong)
                throw new StateException($"table {wrong.Table} has {wrong.Source} row(s) in {from.Location} but {wrong.Target} after copying; nothing was committed");
            await tx.CommitAsync(cancellationToken);
            return counts;
        }
        catch (DbException ex)
        {
            throw new StateException($"copying the state store into {to.Location} failed: {ex.Message}; nothing was committed", ex);
        }
    }

    private static async Task CopyTableAsync(DbConnection source, DbTransaction sourceTx, DbConnection target, DbTransaction tx, string table,
        IReadOnlySet<string> selfColumns, CancellationToken cancellationToken)
    {
        await using var read = source.CreateCommand();
        read.Transaction = sourceTx;
        read.CommandText = $"SELECT * FROM {table}";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();

        await using var insert = target.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = insert.CreateParameter();
            p.ParameterName = $"p{i}";
            insert.Parameters.Add(p);
            return p;
        }).ToList();

        // A row may name a row of its own table with a larger id: such columns are written once every row exists.
        var later = new List<(object Id, string Column, object Value)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var value = reader.GetValue(i);
                if (selfColumns.Contains(columns[i]) && value is not DBNull)
                {
                    later.Add((reader.GetValue(columns.IndexOf("id")), columns[i], value));
                    value = DBNull.Value;
                }
                parameters[i].Value = value;
            }
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (id, column, value) in later)
            await target.ExecuteAsync(new CommandDefinition($"UPDATE {table} SET {column} = @value WHERE id = @id", new { id, value }, tx, cancellationToken: cancellationToken));
    }

    private static async Task ResetIdentitiesAsync(DbConnection target, DbTransaction tx, CancellationToken cancellationToken)
    {
        var identities = await target.QueryAsync<(string Table, string Column)>(new CommandDefinition(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
            transaction: tx, cancellationToken: cancellationToken));
        foreach (var (table, column) in identities)
            await target.ExecuteAsync(new CommandDefinition(
                $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)",
                transaction: tx, cancellationToken: cancellationToken));
    }

    private static async Task<List<(string Child, string Column, string Parent)>> ReferencesAsync(DbConnection target, DbTransaction tx, CancellationToken cancellationToken) =>
        (await target.QueryAsync<(string Child, string Column, string Parent)>(new CommandDefinition(
            """
            SELECT child.relname, a.attname, parent.relname
            FROM pg_constraint c
            JOIN pg_class child ON child.oid = c.conrelid
            JOIN pg_class parent ON parent.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
            """, transaction: tx, cancellationToken: cancellationToken))).ToList();

    /// <summary>Tables with every table they reference before them (references to themselves aside).</summary>
    private static List<string> DependencyOrder(IReadOnlyList<string> tables, IReadOnlyList<(string Child, string Column, string Parent)> references)
    {
        var ordered = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = tables.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(t => references.Where(r => r.Child == t && r.Parent != t).All(r => placed.Contains(r.Parent) || !tables.Contains(r.Parent))).ToList();
            if (ready.Count == 0) throw new StateException($"the state tables reference each other in a cycle ({string.Join(", ", pending)}); state copy cannot order them");
            foreach (var table in ready)
            {
                ordered.Add(table);
                placed.Add(table);
                pending.Remove(table);
            }
        }
        return ordered;
    }

    private static Task<long> CountAsync(DbConnection connection, DbTransaction tx, string table, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table}", transaction: tx, cancellationToken: cancellationToken));
}
