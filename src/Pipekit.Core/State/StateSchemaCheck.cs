using Pipekit.Core.Diagnostics;

namespace Pipekit.Core.State;

/// <summary>Doctor: the state database exists and its schema matches this binary.</summary>
internal sealed class StateSchemaCheck(StateStore store) : IDoctorCheck
{
    public string Name => "state schema";

    public int Order => 20;

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(store.Path))
            return DoctorResult.One(Name, DoctorStatus.Fail, $"{store.Path} does not exist; run 'pipekit init'");
        try
        {
            var status = await store.GetStatusAsync(cancellationToken);
            return status.IsCurrent
                ? DoctorResult.One(Name, DoctorStatus.Ok, $"{store.Path} at version {status.CurrentVersion} (current)")
                : DoctorResult.One(Name, DoctorStatus.Fail,
                    $"{store.Path} at version {status.CurrentVersion}, {status.Pending.Count} migration(s) pending; run 'pipekit init'");
        }
        catch (StateException ex)
        {
            return DoctorResult.One(Name, DoctorStatus.Fail, ex.Message);
        }
    }
}
