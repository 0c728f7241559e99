using System.Data.Common;
using System.Globalization;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Planning;

namespace Pipekit.Chains.Scripts;

/// <summary>
/// Runs one step's statements in order on a chain database. Tail steps run as written; the head binds the job's
/// variables (<c>@name</c>) as parameters and returns its last result set.
/// </summary>
internal static class StepExecutor
{
    public static async Task RunAsync(IChainEngine engine, ChainDatabase database, ChainStep step, CancellationToken cancellationToken)
    {
        foreach (var statement in SqlScript.Split(step.Content))
        {
            await using var command = database.Connection.CreateCommand();
            command.CommandText = statement.Text;
            command.CommandTimeout = 0;
            await ExecuteAsync(database, step, statement, cancellationToken, async ct => { await command.ExecuteNonQueryAsync(ct); return 0; });
        }
    }

    public static async Task<ChainResult> RunHeadAsync(IChainEngine engine, ChainDatabase database, ChainStep step,
        IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(variables.Keys, StringComparer.Ordinal);
        var result = ChainResult.Empty;
        foreach (var statement in SqlScript.Split(step.Content, (name, ordinal) => engine.BindVariable(name, ordinal).Placeholder, names))
        {
            await using var command = database.Connection.CreateCommand();
            command.CommandText = statement.Text;
            command.CommandTimeout = 0;
            for (var i = 0; i < statement.Variables.Count; i++)
            {
                var parameter = command.CreateParameter();
                var name = engine.BindVariable(statement.Variables[i], i + 1).ParameterName;
                if (name.Length > 0) parameter.ParameterName = name;
                parameter.Value = variables[statement.Variables[i]] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            var read = await ExecuteAsync(database, step, statement, cancellationToken, async ct =>
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                return reader.FieldCount == 0 ? null : await ReadAsync(reader, ct);
            });
            if (read is not null) result = read;
        }
        return result;
    }

    private static async Task<T> ExecuteAsync<T>(ChainDatabase database, ChainStep step, SqlStatement statement, CancellationToken cancellationToken,
        Func<CancellationToken, Task<T>> run)
    {
        using var interrupt = database.Driver.InterruptOnCancel(database.Connection, cancellationToken);
        try
        {
            return await run(cancellationToken);
        }
        catch (DbException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChainStepException(FirstLine(ex.Message), ex.SqlState, step.Path, statement.Line, ex);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // The provider reports an interrupted statement as its own error; the caller asked for a cancellation.
            throw new OperationCanceledException("the statement was cancelled", ex, cancellationToken);
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static async Task<ChainResult> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var columns = Enumerable.Range(0, reader.FieldCount)
            .Select(i => new ChainColumn(reader.GetName(i), SafeTypeName(reader, i))).ToList();
        var rows = new List<object?[]>();
        long count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            count++;
            if (rows.Count >= ChainResult.MaxRows) continue;
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = Plain(reader.IsDBNull(i) ? null : reader.GetValue(i));
            rows.Add(row);
        }
        return new ChainResult(columns, rows, count);
    }

    private static string SafeTypeName(DbDataReader reader, int ordinal)
    {
        try { return reader.GetDataTypeName(ordinal); }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException) { return "unknown"; }
    }

    /// <summary>Values a JSON writer and a terminal table both render the same way on every machine.</summary>
    private static object? Plain(object? value) => value switch
    {
        null or DBNull => null,
        string or bool or int or long or short or byte or decimal => value,
        double d => double.IsFinite(d) ? d : d.ToString(CultureInfo.InvariantCulture),
        float f => float.IsFinite(f) ? (double)f : f.ToString(CultureInfo.InvariantCulture),
        System.Numerics.BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero && dt.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)
            + (dt.Kind == DateTimeKind.Utc ? "Z" : ""),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        Guid g => g.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
