using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Pipekit.Server.Logging;

/// <summary>
/// One flat JSON object per log line, for log shippers: <c>timestamp</c>, <c>level</c>, <c>category</c>,
/// <c>message</c>, then every field of the message and of the scopes around it (<c>request_id</c>, <c>run_id</c>,
/// <c>module</c>) as top-level snake_case keys, and <c>exception</c> when there is one. A field named twice keeps
/// its first value: the message's own over a scope's, an inner scope's over an outer one's.
/// </summary>
internal sealed class JsonLineFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "pipekit-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteString("message", message);
            var written = new HashSet<string>(StringComparer.Ordinal) { "timestamp", "level", "category", "message", "exception" };
            if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> fields)
                WriteFields(json, fields, written);
            var scopes = new List<IEnumerable<KeyValuePair<string, object?>>>();
            scopeProvider?.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs) list.Add(pairs);
            }, scopes);
            // ForEachScope goes outermost first; the innermost scope's value wins.
            for (var i = scopes.Count - 1; i >= 0; i--)
                WriteFields(json, scopes[i], written);
            if (logEntry.Exception is { } exception)
                json.WriteString("exception", exception.ToString());
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    private static void WriteFields(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> fields, HashSet<string> written)
    {
        foreach (var (key, value) in fields)
        {
            if (key == "{OriginalFormat}") continue;
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
            if (!written.Add(name)) continue;
            switch (value)
            {
                case null: json.WriteNull(name); break;
                case bool b: json.WriteBoolean(name, b); break;
                case int or long or short or byte or uint or ulong or ushort or sbyte:
                    json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case double or float or decimal:
                    json.WriteNumber(name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case DateTimeOffset t: json.WriteString(name, t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)); break;
                case IFormattable f: json.WriteString(name, f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)); break;
                default: json.WriteString(name, value.ToString()); break;
            }
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
