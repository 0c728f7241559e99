using Pipekit.Cli.Hosting;

return await new PipekitCli(Console.Out, Console.Error, Console.In).RunAsync(args);
