using System.Globalization;
using System.Text;
using Npgsql;

namespace Pipekit.Bench;

/// <summary>
/// The reference a JDBC-batch tool stands for (jrunner's load path): read rows and send multi-row
/// parameterised INSERTs of 1,000 rows each, in one transaction.
/// </summary>
internal static class InsertBatchLoader
{
    private const int RowsPerStatement = 1000;
    private const int Columns = 10;

    private static readonly NpgsqlTypes.NpgsqlDbType[] Types =
    [
        NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Integer, NpgsqlTypes.NpgsqlDbType.Numeric,
        NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Varchar, NpgsqlTypes.NpgsqlDbType.Timestamp,
        NpgsqlTypes.NpgsqlDbType.TimestampTz, NpgsqlTypes.NpgsqlDbType.Date, NpgsqlTypes.NpgsqlDbType.Boolean,
        NpgsqlTypes.NpgsqlDbType.Text,
    ];

    public static async Task<long> RunAsync(string sourceConnectionString, string destinationConnectionString)
    {
        await using var source = new NpgsqlConnection(sourceConnectionString);
        await using var destination = new NpgsqlConnection(destinationConnectionString);
        await source.OpenAsync();
        await destination.OpenAsync();
        await using var transaction = await destination.BeginTransactionAsync();

        await using var read = new NpgsqlCommand(BenchData.SelectSql, source) { CommandTimeout = 0 };
        await using var reader = await read.ExecuteReaderAsync();
        var full = Statement(destination, RowsPerStatement);
        full.Transaction = transaction;
        await full.PrepareAsync();
        long rows = 0;
        var inBatch = 0;
        while (await reader.ReadAsync())
        {
            for (var c = 0; c < Columns; c++) full.Parameters[inBatch * Columns + c].Value = reader.GetValue(c);
            rows++;
            if (++inBatch == RowsPerStatement)
            {
                await full.ExecuteNonQueryAsync();
                inBatch = 0;
            }
        }
        if (inBatch > 0)
        {
            await using var tail = Statement(destination, inBatch);
            tail.Transaction = transaction;
            for (var i = 0; i < inBatch * Columns; i++) tail.Parameters[i].Value = full.Parameters[i].Value;
            await tail.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        await full.DisposeAsync();
        return rows;
    }

    private static NpgsqlCommand Statement(NpgsqlConnection connection, int rows)
    {
        var sql = new StringBuilder($"INSERT INTO bench_dst ({BenchData.Columns}) VALUES ");
        var command = new NpgsqlCommand { Connection = connection, CommandTimeout = 0 };
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < Columns; c++)
            {
                var p = (r * Columns + c + 1).ToString(CultureInfo.InvariantCulture);
                sql.Append(c == 0 ? "$" : ", $").Append(p);
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = Types[c] });
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        return command;
    }
}
