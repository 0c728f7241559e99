using System.CommandLine;
using Pipekit.Core.Configuration;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// Runs a command action with the CLI's rules: errors are one redacted line on stderr (stack traces only
/// with <c>--verbose</c>), exit 2 for usage errors and invalid input (configuration included), 1 for failed operations, 130/143 when SIGINT/SIGTERM
/// stopped the command.
/// </summary>
internal sealed class CommandRunner
{
    private readonly GlobalOptions _globals;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TextReader _in;
    private readonly TerminationSignal? _signal;
    private readonly StartupTimer? _timer;

    public CommandRunner(GlobalOptions globals, TextWriter output, TextWriter error, TextReader input, TerminationSignal? signal = null,
        StartupTimer? timer = null)
    {
        _timer = timer;
        _globals = globals;
        _signal = signal;
        _out = output;
        _error = error;
        _in = input;
    }

    /// <summary>Binds <paramref name="handler"/> as the action of <paramref name="command"/>.</summary>
    public void Bind(Command command, Func<CliContext, CancellationToken, Task<int>> handler) =>
        command.SetAction((parse, ct) => RunAsync(parse, handler, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> handler, CancellationToken invocationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(invocationToken, _signal?.Token ?? CancellationToken.None);
        var cancellationToken = linked.Token;
        await using var context = new CliContext(parse, _globals, _out, _error, _in, _timer);
        try
        {
            var code = await handler(context, cancellationToken);
            _timer?.Finish("command done");
            // A command that stopped because of a signal exits as cron and shells expect (130, 143), not as a plain failure.
            return code != ExitCodes.Success && cancellationToken.IsCancellationRequested && _signal?.ExitCode is { } signalled ? signalled : code;
        }
        catch (Exception ex) when (ex is UsageException or FormatException or InvalidInputException)
        {
            await ReportAsync(context, ex, cancellationToken);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _error.WriteLineAsync("cancelled");
            return _signal?.ExitCode ?? ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            await ReportAsync(context, ex, cancellationToken);
            return ExitCodes.Failure;
        }
    }

    private async Task ReportAsync(CliContext context, Exception ex, CancellationToken cancellationToken)
    {
        var redactor = await TryRedactorAsync(context, cancellationToken);
        // Pipekit's own exceptions carry messages written for the user; anything else may need the stack.
        var known = ex.GetType().Namespace?.StartsWith("Pipekit", StringComparison.Ordinal) == true || ex is ArgumentException or FormatException;
        var message = redactor.Redact(FirstLine(ex.Message));
        await _error.WriteLineAsync(known || context.Verbose
            ? $"error: {message}"
            : $"error: {message} (run with --verbose for details)");
        if (context.Verbose) await _error.WriteLineAsync(redactor.Redact(ex.ToString()));
    }

    /// <summary>Errors must be redacted even when the failure happened before services existed.</summary>
    private static async Task<Redactor> TryRedactorAsync(CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.GetAsync<Redactor>(cancellationToken);
        }
        catch (Exception)
        {
            try
            {
                var home = PipekitHome.FromEnvironment();
                var path = SecretsLocation.Resolve(context.SecretsFlag, null, home);
                return Redactor.FromStore(await SecretStore.LoadOrEmptyAsync(path, cancellationToken));
            }
            catch (Exception)
            {
                return new Redactor([]);
            }
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
