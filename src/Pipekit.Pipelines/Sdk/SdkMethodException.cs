using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Sdk;

/// <summary>An SDK method's answer is an error; the message becomes the response's <c>error</c> and must hold no secret.</summary>
public sealed class SdkMethodException(string message) : InvalidInputException(message);
