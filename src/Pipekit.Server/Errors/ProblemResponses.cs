using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Pipekit.Server.Errors;

/// <summary>
/// Declares in OpenAPI the problem responses a route can produce, as <see cref="ProblemExceptionHandler"/> maps the error
/// kinds: 400 invalid input (with a message per field), 404 not found, 409 conflict, 422 cannot do it here.
/// </summary>
internal static class ProblemResponses
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest) builder.ProducesValidationProblem(status);
            else builder.ProducesProblem(status);
        }
        return builder;
    }
}
