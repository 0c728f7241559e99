using Pipekit.Cli.Hosting;

var timer = StartupTimer.FromEnvironment(Console.Error);
timer.Mark("main");
return await new PipekitCli(Console.Out, Console.Error, Console.In, timer, profileStartup: true).RunAsync(args);
