using Pipekit.Core.Errors;

namespace Pipekit.Core.Configuration;

/// <summary>A configuration error, already phrased for the user: it names the file, the line and the key.</summary>
public sealed class ConfigException : InvalidInputException
{
    public ConfigException(string message) : base(message) { }
}
