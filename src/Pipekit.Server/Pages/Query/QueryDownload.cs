using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;
using Pipekit.Server.Api;

namespace Pipekit.Server.Pages.Query;

/// <summary>A console download: the API's streamed result (<see cref="QueryStreamResult"/>) sent as an attachment.</summary>
internal sealed class QueryDownload(QueryCursor cursor, ResultFormat format, long maxRows, Redactor redactor, string fileName) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HttpContext.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        return new QueryStreamResult(cursor, format, maxRows, redactor).ExecuteAsync(context.HttpContext);
    }
}
