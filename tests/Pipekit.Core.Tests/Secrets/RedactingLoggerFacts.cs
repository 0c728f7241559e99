using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

public sealed class RedactingLoggerFacts
{
    [Fact]
    public void Secret_values_never_reach_a_log_provider_but_field_names_do()
    {
        var sink = new CapturingProvider();
        using var services = new ServiceCollection()
            .AddSingleton(new Redactor(["s3cr3t-pa$$"]))
            .AddLogging(b => b.AddProvider(sink).AddRedaction())
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<RedactingLoggerFacts>>();

        logger.LogWarning(new InvalidOperationException("login with s3cr3t-pa$$ failed"), "connecting with {Password} to {Host}", "s3cr3t-pa$$", "db1");

        var entry = Assert.Single(sink.Entries);
        Assert.Equal("connecting with *** to db1", entry.Message);
        Assert.Contains(entry.Fields, f => f.Key == "Password" && (string?)f.Value == "***");
        Assert.Contains(entry.Fields, f => f.Key == "Host" && (string?)f.Value == "db1");
        Assert.DoesNotContain("s3cr3t", entry.Exception);
    }

    [Fact]
    public void Secret_values_in_scopes_are_masked_too()
    {
        var sink = new CapturingProvider();
        using var services = new ServiceCollection()
            .AddSingleton(new Redactor(["s3cr3t-pa$$"]))
            .AddLogging(b => b.AddProvider(sink).AddRedaction())
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<RedactingLoggerFacts>>();

        using (logger.BeginScope(new Dictionary<string, object> { ["module"] = "copy s3cr3t-pa$$ table", ["run_id"] = 7L }))
        using (logger.BeginScope("plain s3cr3t-pa$$ scope"))
        using (LoggerExtensions.BeginScope(logger, "copying {Table} with {Password}", "orders", "s3cr3t-pa$$"))
        {
        }

        var fields = Assert.IsAssignableFrom<IEnumerable<KeyValuePair<string, object?>>>(sink.Scopes[0]).ToList();
        Assert.Contains(fields, f => f.Key == "module" && (string?)f.Value == "copy *** table");
        Assert.Contains(fields, f => f.Key == "run_id" && (long?)f.Value == 7L);
        Assert.Equal("plain *** scope", sink.Scopes[1]);
        // As text (the readable console prints scopes so): key=value pairs, or the template's formatted message.
        Assert.Equal("module=copy *** table, run_id=7", sink.Scopes[0].ToString());
        Assert.Equal("copying orders with ***", sink.Scopes[2].ToString());
    }

    private sealed class CapturingProvider : ILoggerProvider, ILogger
    {
        public List<(string Message, List<KeyValuePair<string, object?>> Fields, string Exception)> Entries { get; } = [];

        public List<object> Scopes { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Scopes.Add(state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), state is IEnumerable<KeyValuePair<string, object?>> p ? p.ToList() : [], exception?.ToString() ?? ""));

        public void Dispose() { }
    }
}
