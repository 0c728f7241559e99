using System.CommandLine;
using Pipekit.Cli.Auth;
using Pipekit.Cli.Backups;
using Pipekit.Cli.Chains;
using Pipekit.Cli.Connections;
using Pipekit.Cli.Drivers;
using Pipekit.Cli.Groups;
using Pipekit.Cli.Modules;
using Pipekit.Cli.Pipelines;
using Pipekit.Cli.Runs;
using Pipekit.Cli.Schedules;
using Pipekit.Cli.Demo;
using Pipekit.Cli.Diagnostics;
using Pipekit.Cli.Secrets;
using Pipekit.Cli.Server;
using Pipekit.Cli.Setup;
using Pipekit.Cli.State;

namespace Pipekit.Cli.Hosting;

/// <summary>The <c>pipekit</c> command tree. Exit codes: 0 success, 1 failed, 2 usage or configuration error.</summary>
internal sealed class PipekitCli
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TextReader _in;
    private readonly StartupTimer _timer;
    private readonly bool _profileStartup;

    /// <param name="profileStartup">
    /// True in the real process only (Program.cs): a command then replays and records its <see cref="StartupProfile"/>,
    /// which is process-wide, so tests that run commands in their own process leave it off.
    /// </param>
    public PipekitCli(TextWriter output, TextWriter error, TextReader input, StartupTimer? timer = null, bool profileStartup = false)
    {
        _timer = timer ?? StartupTimer.FromEnvironment(error);
        _profileStartup = profileStartup;
        _out = output;
        _error = error;
        _in = input;
    }

    public RootCommand BuildRoot() => BuildRoot(null);

    private RootCommand BuildRoot(TerminationSignal? signal)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Pipekit: move data between SQL databases on a schedule, with watermarks, merges, hooks and a run log.");
        globals.AddTo(root);
        var runner = new CommandRunner(globals, _out, _error, _in, signal, _timer);
        ICliCommand[] commands =
        [
            new InitCommand(),
            new DoctorCommand(),
            new SecretsCommand(),
            new SetPasswordCommand(),
            new ConnectionsCommand(),
            new DriversCommand(),
            new ModulesCommand(),
            new GroupsCommand(),
            new SchedulesCommand(),
            new Notifications.NotificationsCommand(),
            new RunCommand(),
            new RunsCommand(),
            new Verification.VerifyCommand(),
            new Project.ApplyCommand(),
            new Project.ExportCommand(),
            new Copy.CopyCommand(),
            new CancelCommand(),
            new GroupRuns.GroupRunsCommand(),
            new PipelinesCommand(),
            new StateCommand(),
            new Query.QueryCommand(),
            new Datasets.DatasetsCommand(),
            new ChainCommand(),
            new DemoCommand(),
            new ServeCommand(),
            new BackupCommand(),
            new RestoreCommand(),
            new Completion.CompletionCommand(),
        ];
        foreach (var command in commands)
            root.Subcommands.Add(command.Build(runner));
        return root;
    }

    /// <summary>The full command a help hint must name (<c>pipekit connections add</c>, not <c>pipekit add</c>).</summary>
    internal static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            if (result.Command is not RootCommand) names.Insert(0, result.Command.Name);
        return string.Join(' ', ["pipekit", .. names]);
    }

    // The commands that host the server: they run for hours and resolve services per request.
    private static readonly string[] ServerCommands = ["serve", "demo"];

    private static bool HostsServer(ParseResult parse)
    {
        var result = parse.CommandResult;
        while (result.Parent is System.CommandLine.Parsing.CommandResult parent && parent.Command is not RootCommand) result = parent;
        return ServerCommands.Contains(result.Command.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// A short command (a cron job's <c>pipekit run</c>) resolves each service once or twice, and the container's default
    /// engine then compiles a resolver per service with Reflection.Emit on a pool thread: CPU spent, and an assembly
    /// loaded, for code the process exits before it uses. The switch keeps resolution by reflection; it is read once per
    /// process, when the first container is built, so the server commands (which resolve per request) are left out.
    /// </summary>
    private static void UseReflectionServiceResolution() =>
        AppContext.SetSwitch("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine", true);

    public async Task<int> RunAsync(string[] args)
    {
        using var signal = TerminationSignal.Listen();
        var root = BuildRoot(signal);
        if (args is [Completion.CompletionCommand.Hook, var position, var line])
            return await Completion.CompletionCommand.CompleteAsync(root, position, line, _out);
        var parse = root.Parse(args);
        _timer.Mark("parsed");
        if (!HostsServer(parse))
        {
            UseReflectionServiceResolution();
            // A command's own work only (CommandRunner binds every command asynchronously); --help, --version and a
            // parse error are synchronous actions and would replace the command's profile with theirs.
            if (_profileStartup && parse.Action is System.CommandLine.Invocation.AsynchronousCommandLineAction)
                StartupProfile.Start(CommandPath(parse));
        }
        // Ctrl-C and SIGTERM are TerminationSignal's: it cancels the command's token and picks the exit code (130, 143).
        var invocation = new InvocationConfiguration
        {
            Output = _out, Error = _error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await _error.WriteLineAsync($"error: {error.Message}");
            await _error.WriteLineAsync($"run '{CommandPath(parse)} --help' for usage");
            return ExitCodes.Usage;
        }
        if (parse.CommandResult.Command == root && parse.Action is null)
        {
            await root.Parse(["--help"]).InvokeAsync(invocation);
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(invocation);
    }
}
