using Pipekit.Core.Diagnostics;

namespace Pipekit.Core.State;

/// <summary>Doctor: which store holds the state, that it exists, and that its schema matches this binary, part by part.</summary>
internal sealed class StateSchemaCheck(StateStore store) : IDoctorCheck
{
    public string Name => "state schema";

    public int Order => 20;

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        var where = $"{store.Kind.ToString().ToLowerInvariant()} store {store.Location}";
        if (!store.Exists)
            return DoctorResult.One(Name, DoctorStatus.Fail, $"{where} does not exist; run 'pipekit init'");
        try
        {
            var status = await store.GetStatusAsync(cancellationToken);
            if (status.Legacy)
                return DoctorResult.One(Name, DoctorStatus.Fail, $"{where} was made by an older pipekit; run 'pipekit init' to upgrade it in place");
            return status.IsCurrent
                ? DoctorResult.One(Name, DoctorStatus.Ok, $"{where} at {status.Versions} (current)")
                : DoctorResult.One(Name, DoctorStatus.Fail,
                    $"{where} at {status.Versions}, {status.Pending.Count} migration(s) pending; run 'pipekit init'");
        }
        catch (StateException ex)
        {
            return DoctorResult.One(Name, DoctorStatus.Fail, ex.Message);
        }
    }
}
