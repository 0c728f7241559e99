using System.Text.Json;

namespace Pipekit.Pipelines.Sdk;

/// <summary>
/// A method tasks can call over the SDK socket. It gets the request's <c>params</c> (an object, or
/// <see cref="JsonValueKind.Undefined"/> when absent) and returns the <c>result</c>, which is serialised as JSON. Throw
/// <see cref="SdkMethodException"/> to answer with an error.
/// </summary>
public delegate ValueTask<object?> SdkMethod(SdkCaller caller, JsonElement parameters, CancellationToken cancellationToken);
