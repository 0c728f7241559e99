using System.Globalization;
using Pipekit.Bench.Sync;

// ./bench.sh sync [rows] [--rounds N] [--deletes]
var rows = 2_000_000L;
var rounds = 3;
var deletes = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--deletes") deletes = true;
    else rows = long.Parse(args[i].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
return deletes
    ? await DeleteBenchmark.RunAsync(rows, rounds, CancellationToken.None)
    : await SyncBenchmark.RunAsync(rows, rounds, CancellationToken.None);
