using Pipekit.Core.Diagnostics;

namespace Pipekit.Core.Configuration;

/// <summary>Doctor: the configuration parsed (a parse failure is reported by the CLI before services exist).</summary>
internal sealed class ConfigCheck(PipekitEnvironment environment) : IDoctorCheck
{
    public string Name => "config";

    public int Order => 0;

    public Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken) =>
        Task.FromResult(DoctorResult.One(Name, DoctorStatus.Ok,
            environment.Config.SourcePath is { } path ? $"{path} parsed" : $"no config file at {environment.Home.DefaultConfigPath}; using defaults"));
}
