using Pipekit.Core.Configuration;
using Pipekit.Core.Diagnostics;

namespace Pipekit.Core.Secrets;

/// <summary>Doctor: the secrets file parses and is not readable by everyone.</summary>
internal sealed class SecretsFileCheck(PipekitEnvironment environment) : IDoctorCheck
{
    public string Name => "secrets";

    public int Order => 30;

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        var path = environment.SecretsPath;
        var permissions = SecretsFilePermissions.Check(path);
        if (permissions.Status == SecretsPermissionStatus.Failure)
            return DoctorResult.One(Name, DoctorStatus.Fail, permissions.Message);
        if (!File.Exists(path))
            return DoctorResult.One(Name, DoctorStatus.Warn, $"{path} does not exist yet; 'pipekit secrets set KEY' creates it (0600)");
        try
        {
            var store = await SecretStore.LoadAsync(path, cancellationToken);
            var count = store.Keys(null).Count + store.Projects.Sum(p => store.Keys(p).Count);
            return permissions.Status == SecretsPermissionStatus.Warning
                ? DoctorResult.One(Name, DoctorStatus.Warn, permissions.Message)
                : DoctorResult.One(Name, DoctorStatus.Ok, $"{path}: {count} secret(s), permissions ok");
        }
        catch (SecretsException ex)
        {
            return DoctorResult.One(Name, DoctorStatus.Fail, ex.Message);
        }
    }
}
