using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;

namespace Pipekit.Cli.Query;

/// <summary>
/// <c>pipekit query "SQL"</c>: runs one read statement over the registered datasets in this process, with the same
/// engine and the same rules as <c>POST /sql</c> (one read statement, sandbox, timeout, row cap).
/// </summary>
internal sealed class QueryCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var sql = new Argument<string>("sql") { Description = "One read statement: SELECT, WITH, VALUES, FROM, DESCRIBE or SUMMARIZE" };
        var format = new Option<string>("--format")
        {
            Description = "table (default, cut at [query].max_rows), csv, json (the POST /sql envelope) or ndjson",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json", "ndjson");
        var command = new Command("query", "Run SQL over the registered datasets (DuckDB), as POST /sql does") { sql, format };
        runner.Bind(command, async (ctx, ct) =>
        {
            await (await ctx.GetAsync<StateStore>(ct)).EnsureReadyAsync(ct);
            var report = await (await ctx.GetAsync<DatasetRegistrar>(ct)).RefreshAsync(ct);
            foreach (var (name, error) in report.Errors) await ctx.Error.WriteLineAsync($"warning: dataset '{name}' is not queryable: {error}");
            var engine = await ctx.GetAsync<QueryEngine>(ct);
            var redactor = await ctx.GetAsync<Redactor>(ct);
            await using var cursor = await engine.OpenAsync(ctx.Value(sql), ct);
            switch (ctx.Value(format))
            {
                case "json":
                    var body = JsonResultEncoder.Encode(cursor, engine.Settings.MaxRows, redactor, ct);
                    await ctx.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(body.WrittenSpan));
                    break;
                case "csv":
                    if (await CsvResultEncoder.WriteAsync(cursor, new TextWriterStream(ctx.Out), engine.Settings.MaxRows, redactor, ct))
                        await ctx.Error.WriteLineAsync($"warning: the result has more rows than [query].max_rows ({engine.Settings.MaxRows}); only those were written");
                    break;
                case "ndjson":
                    await NdjsonResultEncoder.WriteAsync(cursor, new TextWriterStream(ctx.Out), engine.Settings.MaxRows, redactor, ct);
                    break;
                default:
                    await TableResultEncoder.WriteAsync(cursor, ctx.Out, engine.Settings.MaxRows, redactor, ct);
                    break;
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
