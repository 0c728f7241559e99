using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;

namespace Pipekit.Core.Connections;

/// <summary>
/// Tests a stored connection: resolves its secret, opens it, runs the engine's probe query. A secret that
/// cannot be resolved is a failed test with a message that says which reference and where it was looked for.
/// </summary>
public sealed class ConnectionChecker
{
    private readonly ConnectionResolver _resolver;
    private readonly ConnectionTester _tester;
    private readonly Redactor _redactor;

    public ConnectionChecker(ConnectionResolver resolver, ConnectionTester tester, Redactor redactor)
    {
        _resolver = resolver;
        _tester = tester;
        _redactor = redactor;
    }

    public async Task<ConnectionTestResult> TestAsync(ConnectionRecord record, CancellationToken cancellationToken)
    {
        ResolvedConnection resolved;
        try
        {
            resolved = _resolver.Resolve(record);
        }
        catch (SecretsException ex)
        {
            return new ConnectionTestResult(false, TimeSpan.Zero, null, _redactor.Redact(ex.Message));
        }
        var result = await _tester.TestAsync(resolved, cancellationToken);
        return result with { Error = result.Error is null ? null : _redactor.Redact(result.Error) };
    }
}
