using Pipekit.Core.Validation;

namespace Pipekit.Cli.Hosting;

/// <summary>"Did you mean …" for a name that does not exist, worded for the CLI's not-found errors.</summary>
internal static class NameSuggestion
{
    /// <summary><c>named 'ordrs' (did you mean 'orders'?)</c>, or <c>named 'ordrs'</c> when nothing is close (see <see cref="ClosestName"/>).</summary>
    public static string Named(string name, IEnumerable<string> existing) =>
        ClosestName.Find(name, existing) is { } close ? $"named '{name}' (did you mean '{close}'?)" : $"named '{name}'";
}
