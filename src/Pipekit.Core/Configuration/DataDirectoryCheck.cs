using Pipekit.Core.Diagnostics;

namespace Pipekit.Core.Configuration;

/// <summary>Doctor: the data directory exists (or can be created) and a file can be written in it.</summary>
internal sealed class DataDirectoryCheck(PipekitEnvironment environment) : IDoctorCheck
{
    public string Name => "data directory";

    public int Order => 10;

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        var root = environment.Home.Root;
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".doctor-{Environment.ProcessId}.tmp");
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
            File.Delete(probe);
            return DoctorResult.One(Name, DoctorStatus.Ok, $"{root} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DoctorResult.One(Name, DoctorStatus.Fail, $"{root} is not writable ({ex.Message}); set PIPEKIT_HOME to a directory you own");
        }
    }
}
