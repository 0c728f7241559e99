using System.Globalization;
using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Watermarks;

/// <summary>
/// Runs each watermark's resolver SQL live, in-process, on its own connection (even for a dry run). The first
/// column of the first row becomes an invariant-culture string, dates and timestamps ISO 8601; NULL or no
/// rows falls back to the default value.
/// </summary>
public sealed class WatermarkResolver
{
    private readonly ConnectionFactory _connections;

    public WatermarkResolver(ConnectionFactory connections)
    {
        _connections = connections;
    }

    /// <summary>Resolves every watermark of a module; the connections are looked up in <paramref name="connections"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(Module module, IReadOnlyDictionary<long, ConnectionRecord> connections,
        CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var w in module.Watermarks)
        {
            try
            {
                await using var open = await _connections.OpenAsync(connections[w.ConnectionId], module.Project, cancellationToken);
                await using var command = open.Command(w.ResolverSql);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                object? value = null;
                if (await reader.ReadAsync(cancellationToken) && reader.FieldCount > 0 && !await reader.IsDBNullAsync(0, cancellationToken))
                    value = reader.GetValue(0);
                values[w.Name] = Render(value) ?? w.DefaultValue
                    ?? throw new WatermarkException(w.Name, "resolved to NULL (or no rows) and has no default value; give it a default");
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not WatermarkException)
            {
                throw new WatermarkException(w.Name, ex);
            }
        }
        return values;
    }

    /// <summary>
    /// Watermarks of a module whose destination is not created yet. Each resolves live; one on the destination's connection
    /// that fails (it reads the missing table) would read the new, empty table at run time, so it takes its default, and a
    /// note says so.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ResolveBeforeDestinationExistsAsync(Module module,
        IReadOnlyDictionary<long, ConnectionRecord> connections, ICollection<string> notes, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var w in module.Watermarks)
        {
            try
            {
                foreach (var (name, value) in await ResolveAsync(module with { Watermarks = [w] }, connections, cancellationToken))
                    values[name] = value;
            }
            // Only a resolver that failed (it read the missing table) is excused; one that ran and found NULL keeps its error.
            catch (WatermarkException ex) when (w.ConnectionId == module.DestConnectionId && ex.InnerException is not null)
            {
                values[w.Name] = w.DefaultValue ?? throw new WatermarkException(w.Name,
                    $"has no default, and {module.DestTable} does not exist yet: the first run resolves it on an empty table; give it a default");
                notes.Add($"watermark {{{w.Name}}} would take its default {w.DefaultValue} (its resolver reads the destination, which the run creates empty)");
            }
        }
        return values;
    }

    /// <summary>The text form of a resolver's value; null for NULL.</summary>
    public static string? Render(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        DateTime dt => dt.TimeOfDay == TimeSpan.Zero && dt.Kind != DateTimeKind.Utc
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString(dt.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
