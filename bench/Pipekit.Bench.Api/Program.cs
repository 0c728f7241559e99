using Pipekit.Bench.Api;

return await ApiBenchmark.RunAsync(args);
