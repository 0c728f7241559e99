using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;

namespace Pipekit.Server.Api;

/// <summary>
/// A streamed query result (CSV, NDJSON, Arrow): rows are encoded and sent as they are read, so the server never
/// holds the whole result. An error before the first bytes leave becomes an ordinary error response; an error after
/// that aborts the connection, so a client never takes a cut stream for a complete one (the seed's JSON-ERR bug).
/// </summary>
internal sealed class QueryStreamResult(QueryCursor cursor, ResultFormat format, Redactor redactor) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        await using var owned = cursor;
        var response = context.Response;
        response.ContentType = ResultFormats.MediaType(format);
        var ct = context.RequestAborted;
        try
        {
            switch (format)
            {
                case ResultFormat.Csv:
                    await CsvResultEncoder.WriteAsync(cursor, response.Body, redactor, ct);
                    break;
                case ResultFormat.Ndjson:
                    await NdjsonResultEncoder.WriteAsync(cursor, response.Body, redactor, ct);
                    break;
                default:
                    await ArrowResultEncoder.WriteAsync(cursor, response.Body, redactor, ct);
                    break;
            }
        }
        catch (Exception e) when (response.HasStarted && e is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILogger<QueryStreamResult>>()
                .LogWarning("Query {Fingerprint} failed after {RowCount} rows were sent; the connection is aborted: {Error}", cursor.Fingerprint,
                    cursor.RowCount, redactor.Redact(e.Message));
            context.Abort();
        }
    }
}
