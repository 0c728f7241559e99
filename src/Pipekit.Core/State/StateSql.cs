using System.Data.Common;

namespace Pipekit.Core.State;

/// <summary>
/// Plain ADO.NET statements on a state-store connection, for the repositories a module run goes through: each row is
/// read by ordinal into its record by a small reader next to its <c>SELECT</c>. A run then loads neither Dapper nor
/// what Dapper needs (Reflection.Emit, <c>System.Private.Xml</c>), and compiles no parameter writer or row reader per
/// query shape at start-up: for a short <c>pipekit run</c> that compilation was a large share of its CPU time.
/// </summary>
public static class StateSql
{
    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    public static async Task<int> ExecAsync(this DbConnection connection, string sql, StateArgs? args, DbTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = Create(connection, sql, args, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row as a number; null when there is no row or the value is NULL.</summary>
    public static async Task<long?> Int64Async(this DbConnection connection, string sql, StateArgs? args, DbTransaction? transaction,
        CancellationToken cancellationToken) =>
        await ScalarAsync(connection, sql, args, transaction, cancellationToken) is { } value ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The first column of the first row as text; null when there is no row or the value is NULL.</summary>
    public static async Task<string?> TextAsync(this DbConnection connection, string sql, StateArgs? args, DbTransaction? transaction,
        CancellationToken cancellationToken) =>
        (string?)await ScalarAsync(connection, sql, args, transaction, cancellationToken);

    /// <summary>Every row, each made by <paramref name="read"/> from the reader positioned on it.</summary>
    public static async Task<List<T>> RowsAsync<T>(this DbConnection connection, string sql, StateArgs? args, Func<DbDataReader, T> read,
        DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, sql, args, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }

    /// <summary>The first row made by <paramref name="read"/>, or null when there is none.</summary>
    public static async Task<T?> RowAsync<T>(this DbConnection connection, string sql, StateArgs? args, Func<DbDataReader, T> read,
        DbTransaction? transaction, CancellationToken cancellationToken) where T : class
    {
        await using var command = Create(connection, sql, args, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    /// <summary>A nullable integer column.</summary>
    public static long? Int64OrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>A nullable floating-point column.</summary>
    public static double? DoubleOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    /// <summary>A nullable text column.</summary>
    public static string? TextOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, StateArgs? args, DbTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = Create(connection, sql, args, transaction);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static DbCommand Create(DbConnection connection, string sql, StateArgs? args, DbTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        args?.AddTo(command);
        return command;
    }
}
