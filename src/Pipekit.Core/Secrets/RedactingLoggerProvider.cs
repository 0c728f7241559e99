using Microsoft.Extensions.Logging;

namespace Pipekit.Core.Secrets;

/// <summary>
/// Wraps the real logger providers so that no secret value reaches a log: string arguments of structured
/// log state and the formatted message pass through the <see cref="Redactor"/>, while the field names stay,
/// so JSON logs keep their structure.
/// </summary>
public sealed class RedactingLoggerProvider : ILoggerProvider
{
    private readonly ILoggerProvider _inner;
    private readonly Redactor _redactor;

    public RedactingLoggerProvider(ILoggerProvider inner, Redactor redactor)
    {
        _inner = inner;
        _redactor = redactor;
    }

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(_inner.CreateLogger(categoryName), _redactor);

    public void Dispose() => _inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, Redactor redactor) : ILogger
    {
        // Scope fields (module names, request ids) are redacted like message fields: a scope may quote anything. A
        // scope begun from a message template keeps its formatted text; a plain dictionary (one per request) gets
        // key=value text only if a provider asks for it.
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => state switch
        {
            IEnumerable<KeyValuePair<string, object?>> pairs => inner.BeginScope(new RedactedState(Redact(pairs),
                pairs.Any(p => p.Key == "{OriginalFormat}") ? redactor.Redact(state.ToString() ?? "") : null)),
            string text => inner.BeginScope(redactor.Redact(text)),
            _ => inner.BeginScope(state),
        };

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = redactor.Redact(formatter(state, exception));
            IReadOnlyList<KeyValuePair<string, object?>> fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? Redact(pairs) : [];
            var redactedException = exception is null ? null : new RedactedException(redactor.Redact(exception.ToString()));
            inner.Log(logLevel, eventId, new RedactedState(fields, message), redactedException, static (s, _) => s.ToString());
        }

        private List<KeyValuePair<string, object?>> Redact(IEnumerable<KeyValuePair<string, object?>> pairs) =>
            pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value is string s ? redactor.Redact(s) : p.Value)).ToList();
    }

    /// <summary>
    /// Log state whose fields and message have been redacted; enumerates like the original structured state. Without
    /// a message its text is its fields as <c>key=value</c> pairs.
    /// </summary>
    private sealed record RedactedState(IReadOnlyList<KeyValuePair<string, object?>> Fields, string? Message)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => Fields.Count;

        public KeyValuePair<string, object?> this[int index] => Fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Fields.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message ?? string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"));
    }

    /// <summary>Carries an exception's redacted text; the original may quote a connection string or a value.</summary>
    private sealed class RedactedException(string text) : Exception(text)
    {
        public override string ToString() => Message;

        public override string? StackTrace => null;
    }
}
