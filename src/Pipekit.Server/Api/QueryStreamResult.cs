using System.Globalization;
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
/// Rows stop at <c>[query].max_rows</c>: the cap goes out as a header, the cut as trailers and, where the format can carry
/// it, inside the body (an NDJSON last line, Arrow schema metadata).
/// </summary>
internal sealed class QueryStreamResult(QueryCursor cursor, ResultFormat format, long maxRows, Redactor redactor) : IResult
{
    /// <summary>The row cap in force, sent before the rows.</summary>
    public const string MaxRowsHeader = "Pipekit-Max-Rows";

    /// <summary>HTTP trailers after the rows (where the client reads trailers): whether the cap cut the result, and the rows sent.</summary>
    public const string TruncatedTrailer = "Pipekit-Truncated";
    public const string RowCountTrailer = "Pipekit-Row-Count";

    public async Task ExecuteAsync(HttpContext context)
    {
        await using var owned = cursor;
        var response = context.Response;
        response.ContentType = ResultFormats.MediaType(format);
        response.Headers[MaxRowsHeader] = maxRows.ToString(CultureInfo.InvariantCulture);
        var trailers = response.SupportsTrailers();
        if (trailers)
        {
            response.DeclareTrailer(TruncatedTrailer);
            response.DeclareTrailer(RowCountTrailer);
        }
        var ct = context.RequestAborted;
        try
        {
            var truncated = format switch
            {
                ResultFormat.Csv => await CsvResultEncoder.WriteAsync(cursor, response.Body, maxRows, redactor, ct),
                ResultFormat.Ndjson => await NdjsonResultEncoder.WriteAsync(cursor, response.Body, maxRows, redactor, ct),
                _ => await ArrowResultEncoder.WriteAsync(cursor, response.Body, maxRows, redactor, ct),
            };
            if (trailers)
            {
                response.AppendTrailer(TruncatedTrailer, truncated ? "true" : "false");
                response.AppendTrailer(RowCountTrailer, Math.Min(cursor.RowCount, maxRows).ToString(CultureInfo.InvariantCulture));
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
