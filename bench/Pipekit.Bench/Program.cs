using System.Globalization;
using Pipekit.Bench;

// ./bench.sh transfer [rows] [--rounds N] [--skip-insert] [--only pg,psql,insert,sqlite,duckdb]
// Pipekit.Bench worker transfer <source-url> <sql> <destination-url> <table>   (one measured Pipekit run)
if (args is ["worker", "transfer", var source, var sql, var destination, var table])
    return await TransferWorker.RunAsync(source, sql, destination, table);

if (args is ["transfer", ..])
{
    var rows = 2_000_000L;
    var rounds = 3;
    var skipInsert = false;
    string[]? only = null;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
        else if (args[i] == "--skip-insert") skipInsert = true;
        else if (args[i] == "--only" && i + 1 < args.Length) only = args[++i].Split(',');
        else rows = long.Parse(args[i].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }
    return await TransferBenchmark.RunAsync(rows, rounds, skipInsert, only);
}

Console.Error.WriteLine("usage: bench.sh transfer [rows] [--rounds N] [--skip-insert] [--only name,name]");
return 2;
