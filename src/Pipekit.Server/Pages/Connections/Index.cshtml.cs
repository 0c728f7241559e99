using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Connections;

/// <summary><c>/connections</c>: every connection with its driver, password reference (and a hint when the secret is missing), and a Test button.</summary>
internal sealed class IndexModel(TimeProvider time, ConnectionRepository connections, ConnectionChecker checker, SecretStore secrets) : PipekitPage(time)
{
    public IReadOnlyList<ConnectionRecord> Connections { get; private set; } = [];

    public long? TestedId { get; private set; }

    public ConnectionTestResult? Tested { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Connections = await connections.ListAsync(ct);

    public async Task<IActionResult> OnPostTestAsync(long id, CancellationToken ct)
    {
        if (await connections.GetAsync(id, ct) is not { } record) return NotFound();
        TestedId = id;
        Tested = await checker.TestAsync(record, ct);
        if (Request.Headers.ContainsKey("HX-Request")) return Partial("_TestResult", Tested);
        Connections = await connections.ListAsync(ct);
        return Page();
    }

    /// <summary>A hint when the password is a <c>$NAME</c> reference that the secrets store cannot resolve.</summary>
    public string? MissingSecret(ConnectionRecord c) => SecretHint.Missing(secrets, c);
}
