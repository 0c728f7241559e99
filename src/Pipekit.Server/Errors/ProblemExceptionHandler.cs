using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;
using Pipekit.Core.Validation;
using Pipekit.Query.Engine;

namespace Pipekit.Server.Errors;

/// <summary>
/// Turns exceptions into problem details by their base kind (<see cref="PipekitException"/>), so a new part adds
/// no line here: invalid input → 400 (validation with a message per field), not found → 404, conflict → 409,
/// cannot do it here → 422, an oversized body → 413; anything else is a 500 that names the request id to find in
/// the log.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, Redactor redactor, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem is null)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested) return true;
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal Server Error",
                Detail = $"the server failed on this request; its log has the details under request_id {context.TraceIdentifier}",
            };
        }
        problem.Detail = redactor.Redact(problem.Detail);
        if (exception is QueryBusyException busy)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails? Describe(Exception exception) => exception switch
    {
        ValidationException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid",
            Detail = v.Message,
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            Problem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", "the request body is over the 1 MiB limit"),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", "send the body as JSON with Content-Type: application/json"),
        BadHttpRequestException bad => BadRequestProblem(bad),
        // Query's two outcomes that base kinds do not cover: the engine stopped the query, or had no room for it.
        QueryTimeoutException => Problem(StatusCodes.Status408RequestTimeout, "Query timed out", exception.Message),
        QueryBusyException => Problem(StatusCodes.Status503ServiceUnavailable, "Query engine busy", exception.Message),
        NotFoundException => Problem(StatusCodes.Status404NotFound, "Not Found", exception.Message),
        ConflictException => Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        InvalidInputException => Problem(StatusCodes.Status400BadRequest, "Bad Request", exception.Message),
        CannotDoHereException => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable", exception.Message),
        _ => null,
    };

    // The framework's message names .NET types; the client gets the field and what is wrong with it, in its words.
    private static ProblemDetails BadRequestProblem(BadHttpRequestException bad)
    {
        var (field, message) = BadRequestText.Describe(bad);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = bad.InnerException is JsonException ? "The body is not valid JSON for this request" : "Bad Request",
            Detail = $"{field}: {message}",
        };
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
