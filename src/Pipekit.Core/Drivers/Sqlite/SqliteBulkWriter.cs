using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>
/// Loads rows with one prepared INSERT executed per row inside one transaction, SQLite's fastest load path.
/// Disposing before completion rolls the transaction back.
/// </summary>
internal sealed class SqliteBulkWriter : BulkWriter
{
    private const int ProgressEvery = 1000;
    private readonly SqliteConnection _connection;
    private readonly SqliteDialect _dialect;

    public SqliteBulkWriter(SqliteConnection connection, BulkWriteTarget target, SqliteDialect dialect)
        : base(connection, target)
    {
        _connection = connection;
        _dialect = dialect;
    }

    protected override async Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        var tableColumns = await WriteTargets.QueryAsync(_connection, Transaction, _dialect.Catalog.ListColumns(Target.Table),
            r => new SqliteWriteColumn(r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1)), cancellationToken);
        var columns = WriteTargets.Resolve(Target, tableColumns, c => c.Name, source.FieldCount);

        await using var insert = _connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)Transaction;
        insert.CommandText =
            $"INSERT INTO {_dialect.QualifyTable(Target.Table)} ({string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("@p" + i, null))).ToArray();
        insert.Prepare();

        long row = 0;
        while (await source.ReadAsync(cancellationToken))
        {
            row++;
            for (var i = 0; i < columns.Count; i++)
            {
                var value = source.GetValue(i);
                try
                {
                    parameters[i].Value = value is DBNull ? DBNull.Value : columns[i].Convert(value);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException or ArgumentException)
                {
                    throw BulkWriteErrors.CannotConvert(row, columns[i].Name, value, columns[i].DeclaredType, ex);
                }
            }
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw BulkWriteErrors.Rejected(row, null, ex.Message, ex);
            }
            if (row % ProgressEvery == 0) rowsWritten?.Report(row);
        }
        rowsWritten?.Report(row);
        return row;
    }
}
