using Pipekit.Core.Secrets;

namespace Pipekit.Core.Diagnostics;

/// <summary>Runs every registered check in order; a check that throws is reported as a failure, never crashes doctor.</summary>
public sealed class Doctor
{
    private readonly IReadOnlyList<IDoctorCheck> _checks;
    private readonly Redactor _redactor;

    public Doctor(IEnumerable<IDoctorCheck> checks, Redactor redactor)
    {
        _checks = checks.OrderBy(c => c.Order).ToList();
        _redactor = redactor;
    }

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<DoctorResult>();
        foreach (var check in _checks)
        {
            try
            {
                results.AddRange((await check.RunAsync(cancellationToken))
                    .Select(r => r with { Message = _redactor.Redact(r.Message) }));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results.Add(new DoctorResult(check.Name, DoctorStatus.Fail, _redactor.Redact(ex.Message)));
            }
        }
        return results;
    }
}
