using Pipekit.Cli.Hosting;
using Pipekit.Core.Transfer;

var timer = StartupTimer.FromEnvironment(Console.Error);
timer.Mark("main");
// A module run or a copy is one transfer in a short-lived process; `serve` and everything else keep the default.
if (args is ["copy", ..] or ["run", ..]) InlineSocketCompletions.Enable();
return await new PipekitCli(Console.Out, Console.Error, Console.In, timer).RunAsync(args);
