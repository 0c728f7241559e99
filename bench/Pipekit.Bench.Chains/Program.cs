using Pipekit.Bench.Chains;

// ./bench.sh chains [rows]
var rows = args.Length > 0 ? long.Parse(args[0].Replace("_", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : 1_000_000L;
return await ChainsBenchmark.RunAsync(rows, CancellationToken.None);
