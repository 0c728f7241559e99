using Pipekit.Bench.Query;

return await QueryBenchmark.RunAsync(args);
