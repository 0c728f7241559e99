using Pipekit.Core.Diagnostics;
using Pipekit.Core.Errors;
using Pipekit.Core.State;

namespace Pipekit.Core.Connections;

/// <summary>Doctor: every configured connection can be opened (one line per connection).</summary>
internal sealed class ConnectionsCheck(StateStore store, ConnectionRepository repository, ConnectionChecker checker) : IDoctorCheck
{
    public string Name => "connections";

    public int Order => 40;

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!(await store.GetStatusAsync(cancellationToken)).IsCurrent)
                return DoctorResult.One(Name, DoctorStatus.Warn, "skipped until the state schema is current");
        }
        catch (PipekitException)
        {
            // The state schema check has already said why the store cannot be read (an unreachable server, say).
            return DoctorResult.One(Name, DoctorStatus.Warn, "skipped: the state store cannot be read");
        }
        var connections = await repository.ListAsync(cancellationToken);
        if (connections.Count == 0)
            return DoctorResult.One(Name, DoctorStatus.Ok, "none configured yet ('pipekit connections add')");
        var results = new List<DoctorResult>();
        foreach (var c in connections)
        {
            var r = await checker.TestAsync(c, cancellationToken);
            results.Add(r.Ok
                ? new DoctorResult($"connection {c.Name}", DoctorStatus.Ok, $"{r.ServerVersion} in {r.Elapsed.TotalMilliseconds:0} ms")
                : new DoctorResult($"connection {c.Name}", DoctorStatus.Fail, $"{r.Error}; check it with 'pipekit connections test {c.Name}'"));
        }
        return results;
    }
}
