using System.Globalization;
using Pipekit.Bench.Sync;

// ./bench.sh sync [rows] [--rounds N]
var rows = 2_000_000L;
var rounds = 3;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else rows = long.Parse(args[i].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
return await SyncBenchmark.RunAsync(rows, rounds, CancellationToken.None);
