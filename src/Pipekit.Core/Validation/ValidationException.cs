using Pipekit.Core.Errors;

namespace Pipekit.Core.Validation;

/// <summary>
/// Input that was refused before anything changed, with a message per field (the API returns them as a
/// 400 problem; the CLI prints the first as one line).
/// </summary>
public sealed class ValidationException : InvalidInputException
{
    public ValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
    {
        Errors = errors;
    }

    public ValidationException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
