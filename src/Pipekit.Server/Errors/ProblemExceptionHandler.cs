using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;
using Pipekit.Core.Validation;

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
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        BadHttpRequestException bad => Problem(StatusCodes.Status400BadRequest, "Bad Request", bad.Message),
        NotFoundException => Problem(StatusCodes.Status404NotFound, "Not Found", exception.Message),
        ConflictException => Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        InvalidInputException => Problem(StatusCodes.Status400BadRequest, "Bad Request", exception.Message),
        CannotDoHereException => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable", exception.Message),
        _ => null,
    };

    // "$.source_connection_id" → field "source_connection_id", so a client can show the message next to its input.
    private static ProblemDetails JsonProblem(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        var message = json.Message.Split(" Path:", 2)[0];
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The body is not valid JSON for this request",
            Detail = $"{field}: {message}",
        };
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
