using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Errors;
using Pipekit.Sync.Columns;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Wizard;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Server.Pages.Wizard;

/// <summary>
/// <c>/wizard</c>: seed 002's new-module wizard in four steps on the API's introspection service (ModuleWizard):
/// 1 source (connection, browse fields, incremental table search), 2 columns (in/out, alias, expression, type from
/// the driver defaults), 3 destination and merge (watermarks and the editable query for incremental), 4 preview
/// (source query, staging DDL, merge SQL), then Create. Each step posts the previous steps' answers along, so the
/// flow works without JavaScript and keeps nothing on the server until Create.
/// </summary>
internal sealed class IndexModel(TimeProvider time, ModuleWizard wizard, ConnectionRepository connections, ModulePreviewer previewer,
    ModuleEditor editor) : PipekitPage(time)
{
    public int Step { get; private set; } = 1;
    public IReadOnlyList<ConnectionRecord> Connections { get; private set; } = [];
    public IReadOnlyList<BrowseField> Fields { get; private set; } = [];
    public IReadOnlyList<TableInfo> Tables { get; private set; } = [];
    public Module? Proposal { get; private set; }
    public ModulePreview? Preview { get; private set; }
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true, Name = "connection")] public long? ConnectionId { get; set; }
    [BindProperty(SupportsGet = true, Name = "table")] public string? Table { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(Name = "base_query")] public string? BaseQuery { get; set; }
    [BindProperty(Name = "col_in")] public List<int> ColumnsIn { get; set; } = [];
    [BindProperty(Name = "col_source")] public List<string> ColumnSources { get; set; } = [];
    [BindProperty(Name = "col_source_type")] public List<string?> ColumnSourceTypes { get; set; } = [];
    [BindProperty(Name = "col_alias")] public List<string?> ColumnAliases { get; set; } = [];
    [BindProperty(Name = "col_expr")] public List<string?> ColumnExpressions { get; set; } = [];
    [BindProperty(Name = "col_type")] public List<string?> ColumnTypes { get; set; } = [];
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "dest_connection_id")] public long? DestConnectionId { get; set; }
    [BindProperty(Name = "dest_table")] public string? DestTable { get; set; }
    [BindProperty(Name = "merge_strategy")] public string? Strategy { get; set; }
    [BindProperty(Name = "merge_key")] public string? MergeKey { get; set; }
    [BindProperty(Name = "source_query")] public string? SourceQuery { get; set; }
    [BindProperty(Name = "wm_name")] public List<string?> WmNames { get; set; } = [];
    [BindProperty(Name = "wm_connection_id")] public List<long> WmConnections { get; set; } = [];
    [BindProperty(Name = "wm_resolver_sql")] public List<string?> WmSql { get; set; } = [];
    [BindProperty(Name = "wm_default_value")] public List<string?> WmDefaults { get; set; } = [];

    public IReadOnlyDictionary<string, string?> Qualifiers { get; private set; } = new Dictionary<string, string?>();

    public async Task<IActionResult> OnGetAsync(int step, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (step == 2 && ConnectionId is not null && !string.IsNullOrWhiteSpace(Table))
        {
            try
            {
                Proposal = await wizard.ProposeAsync(ConnectionId.Value, Table, Qualifiers, DefaultDestination(), ct);
                Step = 2;
                return Page();
            }
            catch (PipekitException e)
            {
                Error = e.Message;
            }
        }
        await TablesAsync(ct);
        return Page();
    }

    /// <summary>The table list alone, as you type in the search box (htmx).</summary>
    public async Task<IActionResult> OnGetTablesAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await TablesAsync(ct);
        return Partial("_Tables", this);
    }

    public async Task<IActionResult> OnPostStep3Async(CancellationToken ct)
    {
        await LoadAsync(ct);
        Step = 3;
        try
        {
            var included = IncludedColumns();
            if (included.Count == 0) throw new Core.Validation.ValidationException("columns", "keep at least one column");
            SourceQuery ??= SelectListEditor.Splice(BaseQuery ?? "", included.Select(c => new ColumnEdit(c.Expression, c.Column.DestName)).ToList());
            Strategy ??= "full";
            DestConnectionId ??= DefaultDestination();
        }
        catch (PipekitException e)
        {
            Error = e.Message;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostStep4Async(CancellationToken ct)
    {
        await LoadAsync(ct);
        Step = 4;
        try
        {
            Preview = await previewer.PreviewDraftAsync(Draft(), ct);
        }
        catch (PipekitException e)
        {
            Error = e.Message;
            Step = 3;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        try
        {
            var saved = await editor.CreateAsync(Draft(), ct);
            return Redirect($"/modules/{saved.Id}?created=true");
        }
        catch (PipekitException e)
        {
            Error = e.Message;
            Step = 3;
            return Page();
        }
    }

    public IReadOnlyList<(ModuleColumn Column, string Expression, int Index)> IncludedColumns() =>
        ColumnsIn.Where(i => i >= 0 && i < ColumnSources.Count)
            .Select(i => (new ModuleColumn(ColumnSources[i], At(ColumnSourceTypes, i), (At(ColumnAliases, i) ?? ColumnSources[i]).Trim(), At(ColumnTypes, i)),
                (At(ColumnExpressions, i) ?? ColumnSources[i]).Trim(), i))
            .ToList();

    private Module Draft()
    {
        var strategy = Enum.TryParse<MergeStrategy>(Strategy, ignoreCase: true, out var s) ? s : MergeStrategy.Full;
        var watermarks = new List<Watermark>();
        for (var i = 0; i < WmNames.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(WmNames[i])) continue;
            watermarks.Add(new Watermark
            {
                Name = WmNames[i]!.Trim(), ConnectionId = At(WmConnections, i), ResolverSql = At(WmSql, i) ?? "",
                DefaultValue = string.IsNullOrEmpty(At(WmDefaults, i)) ? null : At(WmDefaults, i),
            });
        }
        return new Module
        {
            Name = Name?.Trim() ?? "", SourceConnectionId = ConnectionId ?? 0, DestConnectionId = DestConnectionId ?? 0, DestTable = DestTable?.Trim() ?? "",
            SourceQuery = SourceQuery ?? "", MergeStrategy = strategy, MergeKey = string.IsNullOrWhiteSpace(MergeKey) ? null : MergeKey.Trim(),
            Columns = IncludedColumns().Select(c => c.Column).ToList(), Watermarks = watermarks, Enabled = true,
        };
    }

    private long? DefaultDestination()
    {
        var source = Connections.FirstOrDefault(c => c.Id == ConnectionId);
        return DestConnectionId ?? source?.DefaultDestConnectionId ?? Connections.FirstOrDefault(c => c.Id != ConnectionId)?.Id ?? ConnectionId;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Connections = await connections.ListAsync(ct);
        ConnectionId ??= Connections.FirstOrDefault()?.Id;
        if (ConnectionId is { } id && Connections.Any(c => c.Id == id))
        {
            Fields = await wizard.BrowseFieldsAsync(id, ct);
            var source = Request.HasFormContentType ? Request.Form.Select(kv => (kv.Key, Value: kv.Value.ToString()))
                : Request.Query.Select(kv => (kv.Key, Value: kv.Value.ToString()));
            Qualifiers = source.Where(kv => kv.Key.StartsWith("qual_", StringComparison.Ordinal) && kv.Value.Length > 0)
                .ToDictionary(kv => kv.Key[5..], kv => (string?)kv.Value);
        }
    }

    private async Task TablesAsync(CancellationToken ct)
    {
        if (ConnectionId is not { } id || !Connections.Any(c => c.Id == id)) return;
        try
        {
            var all = await wizard.ListTablesAsync(id, Qualifiers, ct);
            Tables = (string.IsNullOrWhiteSpace(Search) ? all : all.Where(t => t.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase)))
                .OrderBy(t => t.Schema, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal).Take(200).ToList();
        }
        catch (PipekitException e)
        {
            Error = e.Message;
        }
    }

    private static T? At<T>(List<T> list, int i) => i < list.Count ? list[i] : default;
}
