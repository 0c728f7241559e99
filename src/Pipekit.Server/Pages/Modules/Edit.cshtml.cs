using Pipekit.Core.Retries;
using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;
using Pipekit.Sync.Hooks;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// <c>/modules/{id}/edit</c>: source query, strategy, merge key, inline watermarks and ordered hooks, saved together
/// through ModuleEditor in one write (seed 004 "Inline Watermark Editing": parallel arrays, ids kept, removed rows
/// deleted). Placeholders against watermark names are checked as you type and again here.
/// </summary>
/// <remarks>
/// Every page passes through the redactor, so a definition that holds a secret's value is shown masked. A field posted
/// back exactly as the page showed it means "unchanged" and keeps the stored text: the mask never replaces a definition
/// (the API returns definitions as stored instead; a page cannot, since the whole page is redacted).
/// </remarks>
internal sealed class EditModel(TimeProvider time, ModuleRepository modules, ModuleEditor editor, ConnectionRepository connections, Redactor redactor)
    : PipekitPage(time)
{
    public Module Module { get; private set; } = null!;
    public IReadOnlyList<ConnectionRecord> Connections { get; private set; } = [];
    public IReadOnlyList<string> Mismatch { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }
    [BindProperty(Name = "source_connection_id")] public long SourceConnectionId { get; set; }
    [BindProperty(Name = "dest_connection_id")] public long DestConnectionId { get; set; }
    [BindProperty(Name = "dest_table")] public string? DestTable { get; set; }
    [BindProperty(Name = "source_query")] public string? SourceQuery { get; set; }
    [BindProperty(Name = "merge_strategy")] public string? Strategy { get; set; }
    [BindProperty(Name = "merge_key")] public string? MergeKey { get; set; }
    [BindProperty] public bool Enabled { get; set; }
    [BindProperty(Name = "delete_detection")] public string? DeleteDetection { get; set; }
    [BindProperty(Name = "keys_query")] public string? KeysQuery { get; set; }
    [BindProperty(Name = "allow_empty_source")] public bool AllowEmptySource { get; set; }
    [BindProperty(Name = "schema_change")] public string? SchemaChange { get; set; }
    [BindProperty(Name = "verify")] public string? Verify { get; set; }
    [BindProperty(Name = "hooks_may_fail")] public bool HooksMayFail { get; set; }
    [BindProperty(Name = "full_load")] public string? FullLoad { get; set; }
    [BindProperty(Name = "retries")] public string? Retries { get; set; }
    [BindProperty(Name = "retry_delay")] public string? RetryDelay { get; set; }
    [BindProperty(Name = "retry_backoff")] public string? RetryBackoff { get; set; }
    [BindProperty(Name = "wm_id")] public List<long> WmIds { get; set; } = [];
    [BindProperty(Name = "wm_name")] public List<string?> WmNames { get; set; } = [];
    [BindProperty(Name = "wm_connection_id")] public List<long> WmConnections { get; set; } = [];
    [BindProperty(Name = "wm_resolver_sql")] public List<string?> WmSql { get; set; } = [];
    [BindProperty(Name = "wm_default_value")] public List<string?> WmDefaults { get; set; } = [];
    [BindProperty(Name = "wm_deleted_id")] public List<long> WmDeleted { get; set; } = [];
    [BindProperty(Name = "hook_id")] public List<long> HookIds { get; set; } = [];
    [BindProperty(Name = "hook_connection_id")] public List<long> HookConnections { get; set; } = [];
    [BindProperty(Name = "hook_sql")] public List<string?> HookSql { get; set; } = [];
    [BindProperty(Name = "hook_run_on")] public List<string?> HookRunOn { get; set; } = [];
    [BindProperty(Name = "hook_deleted_id")] public List<long> HookDeleted { get; set; } = [];

    public IReadOnlyList<Watermark> Watermarks { get; private set; } = [];
    public IReadOnlyList<Hook> Hooks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var m = Module;
        (Name, SourceConnectionId, DestConnectionId, DestTable, SourceQuery, Strategy, MergeKey, Enabled) =
            (m.Name, m.SourceConnectionId, m.DestConnectionId, m.DestTable, m.SourceQuery, m.MergeStrategy.ToString().ToLowerInvariant(), m.MergeKey, m.Enabled);
        (DeleteDetection, KeysQuery, AllowEmptySource, SchemaChange, Verify, HooksMayFail, FullLoad) =
            (m.DeleteDetection.ToText(), m.KeysQuery, m.AllowEmptySource, m.SchemaChange.ToText(), m.Verify.ToText(), m.HooksMayFail, m.FullLoad.ToText());
        (Retries, RetryDelay, RetryBackoff) =
            (m.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture), DurationText.Format(m.RetryDelay), m.RetryBackoff.ToText());
        Watermarks = m.Watermarks;
        Hooks = m.Hooks.OrderBy(h => h.RunOrder).ToList();
        Mismatch = Placeholders.Problems(m.SourceQuery, m.Watermarks.Select(w => w.Name)).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Watermarks = ReadWatermarks(id);
        Hooks = ReadHooks(id);
        try
        {
            var strategy = Enum.TryParse<MergeStrategy>(Strategy, ignoreCase: true, out var s) ? s
                : throw new Core.Validation.ValidationException("merge_strategy", $"'{Strategy}' is not full, incremental or append");
            var options = new Core.Validation.ValidationErrors();
            if (!ModuleOptionText.TryParse(DeleteDetection ?? "none", out DeleteDetection deletes))
                options.Add("delete_detection", $"'{DeleteDetection}' must be none, hard or soft");
            if (!ModuleOptionText.TryParse(SchemaChange ?? "fail", out SchemaChangeRule schemaChange))
                options.Add("schema_change", $"'{SchemaChange}' must be fail, add_columns or evolve");
            if (!ModuleOptionText.TryParse(Verify ?? "none", out VerifyMode verify))
                options.Add("verify", $"'{Verify}' must be none, counts or keys");
            if (!ModuleOptionText.TryParse(FullLoad ?? "staging", out Sync.Modules.FullLoad fullLoad))
                options.Add("full_load", $"'{FullLoad}' must be staging, direct or swap");
            if (!int.TryParse(Retries ?? "0", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var retries)
                || retries > Sync.Modules.RetryPolicy.MaxRetries)
                options.Add("retries", $"'{Retries}' must be a whole number from 0 to {Sync.Modules.RetryPolicy.MaxRetries}");
            if (!DurationText.TryParse(string.IsNullOrWhiteSpace(RetryDelay) ? "30s" : RetryDelay, out var retryDelay))
                options.Add("retry_delay", $"'{RetryDelay}' is not a duration; write e.g. \"30s\", \"2m\" or \"1m30s\"");
            if (!ModuleOptionText.TryParse(RetryBackoff ?? "fixed", out RetryBackoff backoff))
                options.Add("retry_backoff", $"'{RetryBackoff}' must be fixed or exponential");
            options.ThrowIfAny();
            await editor.UpdateAsync(id, m => m with
            {
                Name = AsShown(Name?.Trim() ?? "", m.Name), SourceConnectionId = SourceConnectionId, DestConnectionId = DestConnectionId,
                DestTable = AsShown(DestTable?.Trim() ?? "", m.DestTable), SourceQuery = AsShown(SourceQuery ?? "", m.SourceQuery), MergeStrategy = strategy,
                MergeKey = string.IsNullOrWhiteSpace(MergeKey) ? null : AsShown(MergeKey.Trim(), m.MergeKey),
                Enabled = Enabled, Watermarks = Watermarks.Select(w => KeepStored(w, m)).ToList(), Hooks = Hooks.Select(h => KeepStored(h, m)).ToList(),
                DeleteDetection = deletes, KeysQuery = string.IsNullOrWhiteSpace(KeysQuery) ? null : AsShown(KeysQuery.Trim(), m.KeysQuery),
                AllowEmptySource = AllowEmptySource, SchemaChange = schemaChange, Verify = verify, HooksMayFail = HooksMayFail,
                FullLoad = fullLoad,
                Retries = retries, RetryDelay = retryDelay, RetryBackoff = backoff,
            }, ct);
            return Redirect($"/modules/{id}");
        }
        catch (PipekitException e)
        {
            ModelState.AddModelError("", e.Message);
            Mismatch = Placeholders.Problems(SourceQuery ?? "", Watermarks.Select(w => w.Name)).ToList();
            return Page();
        }
    }

    // The stored text when the posted one is what the page showed of it (the stored text with secrets masked); a browser
    // sends a textarea's line breaks as CRLF, so they don't count.
    private string AsShown(string posted, string? stored)
    {
        if (stored is null) return posted;
        var shown = redactor.Redact(stored);
        return !ReferenceEquals(shown, stored) && shown != stored
            && string.Equals(posted.ReplaceLineEndings("\n").Trim(), shown.ReplaceLineEndings("\n").Trim(), StringComparison.Ordinal) ? stored : posted;
    }

    private Watermark KeepStored(Watermark posted, Module stored) =>
        stored.Watermarks.FirstOrDefault(w => w.Id != 0 && w.Id == posted.Id) is { } current
            ? posted with
            {
                Name = AsShown(posted.Name, current.Name), ResolverSql = AsShown(posted.ResolverSql, current.ResolverSql),
                DefaultValue = posted.DefaultValue is null ? null : AsShown(posted.DefaultValue, current.DefaultValue),
            }
            : posted;

    private Hook KeepStored(Hook posted, Module stored) =>
        stored.Hooks.FirstOrDefault(h => h.Id != 0 && h.Id == posted.Id) is { } current ? posted with { Sql = AsShown(posted.Sql, current.Sql) } : posted;

    private List<Watermark> ReadWatermarks(long moduleId)
    {
        var list = new List<Watermark>();
        for (var i = 0; i < WmNames.Count; i++)
        {
            var wid = At(WmIds, i);
            if (wid != 0 && WmDeleted.Contains(wid)) continue;
            if (string.IsNullOrWhiteSpace(WmNames[i]) && string.IsNullOrWhiteSpace(At(WmSql, i))) continue;
            list.Add(new Watermark
            {
                Id = wid, ModuleId = moduleId, Name = WmNames[i]?.Trim() ?? "", ConnectionId = At(WmConnections, i),
                ResolverSql = At(WmSql, i) ?? "", DefaultValue = string.IsNullOrEmpty(At(WmDefaults, i)) ? null : At(WmDefaults, i),
            });
        }
        return list;
    }

    private List<Hook> ReadHooks(long moduleId)
    {
        var list = new List<Hook>();
        for (var i = 0; i < HookSql.Count; i++)
        {
            var hid = At(HookIds, i);
            if (hid != 0 && HookDeleted.Contains(hid) || string.IsNullOrWhiteSpace(HookSql[i])) continue;
            var runOn = Enum.TryParse<HookRunOn>(At(HookRunOn, i), ignoreCase: true, out var r) ? r : Sync.Hooks.HookRunOn.Success;
            list.Add(new Hook { Id = hid, ModuleId = moduleId, RunOrder = list.Count + 1, ConnectionId = At(HookConnections, i), Sql = HookSql[i]!, RunOn = runOn });
        }
        return list;
    }

    private static T? At<T>(List<T> list, int i) => i < list.Count ? list[i] : default;

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return false;
        Module = module;
        Connections = await connections.ListAsync(ct);
        return true;
    }
}
