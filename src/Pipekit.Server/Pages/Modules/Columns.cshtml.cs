using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Sync.Columns;
using Pipekit.Sync.Modules;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// <c>/modules/{id}/columns</c>: seed 002's column editor. The stored query's SELECT list as rows of expression and
/// alias; Save splices the new list back (SelectListEditor) and keeps every byte outside it. A query the parser
/// cannot read gets an honest message and the raw editor.
/// </summary>
internal sealed class ColumnsModel(TimeProvider time, ModuleRepository modules, ModuleEditor editor) : PipekitPage(time)
{
    public Module Module { get; private set; } = null!;
    public SelectList Parsed { get; private set; } = null!;
    public IReadOnlyList<ColumnEdit> Rows { get; private set; } = [];

    [BindProperty(Name = "col_expr")] public List<string?> Expressions { get; set; } = [];
    [BindProperty(Name = "col_alias")] public List<string?> Aliases { get; set; } = [];
    [BindProperty(Name = "col_remove")] public List<int> Remove { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return NotFound();
        Module = module;
        Parsed = SelectListParser.Parse(module.SourceQuery);
        Rows = Parsed.Columns.Select(c => new ColumnEdit(c.Expression, c.Alias)).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return NotFound();
        Module = module;
        Parsed = SelectListParser.Parse(module.SourceQuery);
        Rows = Expressions.Select((e, i) => (e, i)).Where(x => !Remove.Contains(x.i) && !(string.IsNullOrWhiteSpace(x.e) && string.IsNullOrWhiteSpace(At(Aliases, x.i))))
            .Select(x => new ColumnEdit(x.e ?? "", At(Aliases, x.i))).ToList();
        try
        {
            var query = SelectListEditor.Splice(module.SourceQuery, Rows);
            await editor.UpdateAsync(id, m => m with { SourceQuery = query }, ct);
            return Redirect($"/modules/{id}");
        }
        catch (PipekitException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    private static string? At(List<string?> list, int i) => i < list.Count ? list[i] : null;
}
