using System.Globalization;
using Pipekit.Bench;

// ./bench.sh transfer [rows] [--rounds N] [--skip-insert] [--only pg,psql,insert,sqlite,duckdb] [--breakdown]
// Pipekit.Bench worker transfer <source-url> <sql> <destination-url> <table>   (one measured Pipekit run)
// Pipekit.Bench worker copy-out <url> <sql> | copy-in <url> <file> <table> | noop   (the breakdown's phases)
if (args is ["worker", "transfer", var source, var sql, var destination, var table])
    return await TransferWorker.RunAsync(source, sql, destination, table);
if (args is ["worker", "copy-out", var outUrl, var outSql])
    return await CopyPhaseWorker.CopyOutAsync(outUrl, outSql);
if (args is ["worker", "copy-in", var inUrl, var inFile, var inTable])
    return await CopyPhaseWorker.CopyInAsync(inUrl, inFile, inTable);
if (args is ["worker", "noop"])
    return 0;

if (args is ["transfer", ..])
{
    var rows = 2_000_000L;
    var rounds = 3;
    var skipInsert = false;
    string[]? only = null;
    var breakdown = false;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
        else if (args[i] == "--skip-insert") skipInsert = true;
        else if (args[i] == "--breakdown") breakdown = true;
        else if (args[i] == "--only" && i + 1 < args.Length) only = args[++i].Split(',');
        else rows = long.Parse(args[i].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }
    return await TransferBenchmark.RunAsync(rows, rounds, skipInsert, only, breakdown);
}

Console.Error.WriteLine("usage: bench.sh transfer [rows] [--rounds N] [--skip-insert] [--only name,name] [--breakdown]");
return 2;
