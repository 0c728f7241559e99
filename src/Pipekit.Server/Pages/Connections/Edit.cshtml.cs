using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Connections;

/// <summary><c>/connections/new</c> and <c>/connections/{id}</c>: create or edit a connection (validated as the API does), and test it.</summary>
internal sealed class EditModel(TimeProvider time, ConnectionRepository connections, ConnectionValidator validator, ConnectionChecker checker,
    DriverRegistry drivers, SecretStore secrets) : PipekitPage(time)
{
    public ConnectionRecord? Current { get; private set; }
    public IReadOnlyList<ConnectionRecord> Others { get; private set; } = [];
    public IReadOnlyList<string> Drivers { get; } = drivers.All.Select(d => d.Kind).Order(StringComparer.Ordinal).ToList();
    public ConnectionTestResult? Tested { get; private set; }
    public string? Saved { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Driver { get; set; }
    [BindProperty(Name = "Url")] public string? ConnectionUrl { get; set; }
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public long? DefaultDestConnectionId { get; set; }
    [BindProperty] public string? DefaultDestSchema { get; set; }
    [BindProperty] public string? Notes { get; set; }

    public string? MissingSecret => Current is null ? null : SecretHint.Missing(secrets, Current);

    public async Task<IActionResult> OnGetAsync(long? id, bool saved, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Current is { } c)
        {
            (Name, Driver, ConnectionUrl, Username, DefaultDestConnectionId, DefaultDestSchema, Notes) =
                (c.Name, c.Driver, c.Url, c.Username, c.DefaultDestConnectionId, c.DefaultDestSchema, c.Notes);
            Password = c.Password is { } p && p.StartsWith('$') ? p : null;
        }
        if (saved) Saved = "Saved.";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var record = new ConnectionRecord
        {
            Id = Current?.Id ?? 0,
            Name = Name?.Trim() ?? "",
            Driver = Driver?.Trim() ?? "",
            Url = ConnectionUrl?.Trim() ?? "",
            Username = Blank(Username),
            // An empty password field keeps a stored literal password (it is never sent back to the browser).
            Password = string.IsNullOrWhiteSpace(Password) ? Current?.Password is { } old && !old.StartsWith('$') ? old : null : Password.Trim(),
            Project = Current?.Project,
            Dialect = Current?.Dialect,
            DefaultDestConnectionId = DefaultDestConnectionId is null or 0 ? null : DefaultDestConnectionId,
            DefaultDestSchema = Blank(DefaultDestSchema),
            Notes = Blank(Notes),
        };
        try
        {
            record = validator.Validate(record);
            if (Current is null) record = await connections.AddAsync(record, ct);
            else await connections.UpdateAsync(record, ct);
            return Redirect($"/connections/{(Current?.Id ?? record.Id)}?saved=true");
        }
        catch (PipekitException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostTestAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Current is null) return NotFound();
        Tested = await checker.TestAsync(Current, ct);
        if (Request.Headers.ContainsKey("HX-Request")) return Partial("_TestResult", Tested);
        return await OnGetAsync(id, false, ct);
    }

    private async Task<bool> LoadAsync(long? id, CancellationToken ct)
    {
        var all = await connections.ListAsync(ct);
        Others = all.Where(c => c.Id != id).ToList();
        if (id is null) return true;
        Current = all.FirstOrDefault(c => c.Id == id);
        return Current is not null;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
