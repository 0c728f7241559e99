using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Sync.Merge;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Runs;

/// <summary>
/// Steps 2-4 of the engine flow without the rest: resolves the watermarks live, materialises the source query
/// and builds the merge SQL, and moves no data, takes no lock and writes no run log.
/// </summary>
public sealed class ModulePreviewer
{
    private readonly ModuleRepository _modules;
    private readonly ConnectionRepository _connections;
    private readonly ConnectionFactory _factory;
    private readonly WatermarkResolver _watermarks;
    private readonly Redactor _redactor;

    public ModulePreviewer(ModuleRepository modules, ConnectionRepository connections, ConnectionFactory factory, WatermarkResolver watermarks,
        Redactor redactor)
    {
        _modules = modules;
        _connections = connections;
        _factory = factory;
        _watermarks = watermarks;
        _redactor = redactor;
    }

    public async Task<ModulePreview> PreviewAsync(long moduleId, CancellationToken cancellationToken)
    {
        var module = await _modules.GetAsync(moduleId, cancellationToken) ?? throw new ModuleNotFoundException($"with id {moduleId}");
        return await PreviewAsync(module, cancellationToken);
    }

    /// <summary>
    /// The same for a module that is not saved yet (the wizard's last step), with the staging DDL the run would
    /// execute: the destination's CREATE TABLE first when it does not exist yet.
    /// </summary>
    public async Task<ModulePreview> PreviewDraftAsync(Module draft, CancellationToken cancellationToken) =>
        await PreviewAsync(draft, cancellationToken);

    private async Task<ModulePreview> PreviewAsync(Module module, CancellationToken cancellationToken)
    {
        var connections = (await _connections.ListAsync(cancellationToken)).ToDictionary(c => c.Id);
        ModuleValidator.Validate(module, connections.Keys.ToHashSet());

        await using var dest = await _factory.OpenAsync(connections[module.DestConnectionId], module.Project, cancellationToken);
        var destTable = TableName.Parse(module.DestTable);
        var staging = StagingTable.For(module.Name, dest.Dialect.Ddl);
        var introspector = new Introspector(dest.Connection, dest.Dialect);
        var destExists = await introspector.TableExistsAsync(destTable, cancellationToken);
        var notes = new List<string>();
        IReadOnlyDictionary<string, string> values;
        if (destExists)
        {
            values = await _watermarks.ResolveAsync(module, connections, cancellationToken);
        }
        else
        {
            if (module.Columns.Count == 0)
                throw new SyncException($"module '{module.Name}' declares no columns and its destination table {destTable} does not exist; declare the columns (the table is then created from them) or create the table");
            notes.Add($"{destTable} does not exist yet: the run creates it from the {module.Columns.Count} declared column(s) first");
            values = await _watermarks.ResolveBeforeDestinationExistsAsync(module, connections, notes, cancellationToken);
        }
        var resolved = Placeholders.Substitute(module.SourceQuery, values);
        var columns = await ModuleRunner.MergeColumnsAsync(module, destTable, destExists, introspector, cancellationToken);
        var merge = MergeSqlBuilder.Build(dest.Dialect, module.MergeStrategy, destTable, staging, columns, module.MergeKeyColumns);
        var ddl = new List<string>();
        var ddlDialect = dest.Dialect.Ddl;
        if (!destExists)
        {
            if (destTable.Schema is { } schema && ddlDialect.SupportsSchemas) ddl.Add(ddlDialect.CreateSchemaIfMissing(schema));
            ddl.Add(ddlDialect.CreateTable(destTable, module.Columns.Select(c => new ColumnDefinition(c.DestName,
                string.IsNullOrWhiteSpace(c.DestType) ? dest.Dialect.RenderType(new PortableType(PortableKind.Text)) : c.DestType)).ToList()));
        }
        if (ddlDialect.SupportsSchemas) ddl.Add(ddlDialect.CreateSchemaIfMissing(StagingTable.Schema));
        ddl.Add(ddlDialect.DropTableIfExists(staging));
        ddl.Add(ddlDialect.CreateTableLike(staging, destTable));
        return new ModulePreview(module.Id, _redactor.Redact(resolved), _redactor.Redact(merge.Text),
            values.ToDictionary(v => v.Key, v => _redactor.Redact(v.Value)), dest.Dialect.QualifyTable(staging), destExists)
        {
            StagingDdl = string.Join(";\n", ddl) + ";",
            Notes = notes,
        };
    }
}
