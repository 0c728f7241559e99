using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Copy;

/// <summary>
/// <c>pipekit copy</c>: builds a module from a source table or query (every column, the wizard's default expressions and
/// destination types), runs it through <see cref="RunCoordinator"/> like any run, and removes it afterwards unless it
/// is saved under a name.
/// </summary>
public sealed class ModuleCopier
{
    private readonly ConnectionRepository _connections;
    private readonly ConnectionFactory _factory;
    private readonly ModuleRepository _modules;
    private readonly ModuleEditor _editor;
    private readonly RunCoordinator _coordinator;
    private readonly RunLogRepository _runs;
    private readonly TimeProvider _time;

    public ModuleCopier(ConnectionRepository connections, ConnectionFactory factory, ModuleRepository modules, ModuleEditor editor,
        RunCoordinator coordinator, RunLogRepository runs, TimeProvider time)
    {
        _connections = connections;
        _factory = factory;
        _modules = modules;
        _editor = editor;
        _coordinator = coordinator;
        _runs = runs;
        _time = time;
    }

    /// <summary>Builds and runs the copy; the module is deleted after the run (whatever its outcome) unless saved.</summary>
    public async Task<CopyResult> RunAsync(CopyRequest request, RunStart start, CancellationToken cancellationToken)
    {
        var module = await _editor.CreateAsync(await PlanAsync(request, cancellationToken), cancellationToken);
        var saved = request.SaveName is not null;
        try
        {
            var started = await _coordinator.StartModuleRunAsync(module.Id, start, cancellationToken);
            var result = await started.Completion;
            var run = result.RunId is { } id ? await _runs.GetAsync(id, CancellationToken.None) : null;
            return new CopyResult(module, saved, result, run);
        }
        finally
        {
            if (!saved) await _modules.DeleteAsync(module.Id, CancellationToken.None);
        }
    }

    /// <summary>The module a copy runs, validated but not saved.</summary>
    public async Task<Module> PlanAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        var strategy = Check(request);
        var source = await FindAsync(request.From, "--from", cancellationToken);
        var dest = await FindAsync(request.To, "--to", cancellationToken);
        var destDialect = _factory.DialectOf(dest);

        await using var open = await _factory.OpenAsync(source, null, cancellationToken);
        var sourceDialect = open.Dialect;
        IReadOnlyList<ColumnInfo> columns;
        string from;
        if (request.Table is { } table)
        {
            var name = Parse(table, "--table");
            columns = await new Introspector(open.Connection, open.Dialect).GetColumnsAsync(name, cancellationToken);
            if (columns.Count == 0)
                throw new ValidationException("table", $"table {table} was not found on connection '{source.Name}' (or it has no columns)");
            from = sourceDialect.QualifyTable(name);
        }
        else
        {
            columns = await DescribeAsync(open, request.Query!, cancellationToken);
            from = $"(\n{request.Query!.Trim().TrimEnd(';')}\n) pipekit_copy";
        }

        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var proposed = new List<(ColumnInfo Source, ModuleColumn Column)>();
        var select = new StringBuilder("SELECT");
        foreach (var column in columns.OrderBy(c => c.Ordinal))
        {
            var alias = ColumnAlias.Default(column.Name);
            for (var n = 2; !aliases.Add(alias); n++) alias = $"{ColumnAlias.Default(column.Name)}_{n}";
            var expression = request.Table is null ? sourceDialect.QuoteIdentifier(column.Name) : sourceDialect.DefaultExpression(column);
            select.Append(proposed.Count == 0 ? "\n    " : ",\n    ").Append(expression).Append(" AS ").Append(sourceDialect.QuoteIdentifier(alias));
            proposed.Add((column, new ModuleColumn(column.Name, column.DataType, alias, destDialect.RenderType(sourceDialect.ToPortable(column)))));
        }
        select.Append("\nFROM ").Append(from);

        var destTable = request.ToTable ?? Parse(request.Table!, "--table").Table.ToLowerInvariant();
        Parse(destTable, "--to-table");
        (ColumnInfo Source, ModuleColumn Column) Column(string name, string option) =>
            proposed.FirstOrDefault(p => string.Equals(p.Source.Name, name, StringComparison.OrdinalIgnoreCase)) is { Column: not null } found
                ? found
                : throw new ValidationException(option.TrimStart('-'), $"{option} column '{name}' is not a column of the source{ClosestName.Hint(name, proposed.Select(p => p.Source.Name))}; its columns are: {string.Join(", ", proposed.Select(p => p.Source.Name))}");
        var keys = request.Keys.Select(k => Column(k, "--key").Column.DestName).ToList();
        var watermarks = new List<Watermark>();
        if (request.UpdateKey is { } updateKey)
        {
            var (sourceColumn, destColumn) = Column(updateKey, "--update-key");
            select.Append("\nWHERE ").Append(UpdateKeyWatermark.Condition(sourceDialect.QuoteIdentifier(sourceColumn.Name)));
            watermarks.Add(new Watermark
            {
                Name = UpdateKeyWatermark.Name,
                ConnectionId = dest.Id,
                ResolverSql = UpdateKeyWatermark.ResolverSql(destDialect, destTable, destColumn.DestName, sourceDialect.ToPortable(sourceColumn).Kind),
                DefaultValue = UpdateKeyWatermark.DefaultValue,
            });
        }
        return new Module
        {
            Name = request.SaveName ?? GeneratedName(),
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = destTable,
            SourceQuery = select.ToString(),
            MergeStrategy = strategy,
            MergeKey = keys.Count > 0 ? string.Join(", ", keys) : null,
            Columns = proposed.Select(p => p.Column).ToList(),
            Watermarks = watermarks,
            Notes = request.SaveName is null ? "pipekit copy (removed after its run)" : "made by pipekit copy",
        };
    }

    private static MergeStrategy Check(CopyRequest request)
    {
        if (request.Table is null == request.Query is null)
            throw new ValidationException("table", request.Table is null ? "give the source: --table TABLE or --query SQL" : "give --table or --query, not both");
        if (request.Query is not null && string.IsNullOrWhiteSpace(request.ToTable))
            throw new ValidationException("to_table", "--to-table is required with --query (there is no source table to name it after)");
        if (!Enum.TryParse<MergeStrategy>(request.Mode, ignoreCase: true, out var strategy) || !Enum.IsDefined(strategy) || int.TryParse(request.Mode, out _))
            throw new ValidationException("mode", $"'{request.Mode}' is not a mode; use full, incremental or append");
        if (strategy == MergeStrategy.Incremental && request.Keys.Count == 0)
            throw new ValidationException("key", "--mode incremental needs --key: the column(s) that identify a row, replaced when they come again");
        if (strategy != MergeStrategy.Incremental && request.Keys.Count > 0)
            throw new ValidationException("key", $"--key is used only by --mode incremental; --mode {strategy.ToString().ToLowerInvariant()} does not match rows");
        if (strategy == MergeStrategy.Full && request.UpdateKey is not null)
            throw new ValidationException("update_key", "--mode full replaces the whole table on every run, so --update-key has nothing to skip; use --mode incremental or append");
        return strategy;
    }

    private async Task<ConnectionRecord> FindAsync(string name, string option, CancellationToken cancellationToken)
    {
        if (await _connections.FindAsync(name, cancellationToken) is { } found) return found;
        var names = (await _connections.ListAsync(cancellationToken)).Select(c => c.Name);
        throw new ConnectionNotFoundException($"named '{name}' ({option}){ClosestName.Hint(name, names)}");
    }

    private static TableName Parse(string table, string option)
    {
        try
        {
            return TableName.Parse(table);
        }
        catch (FormatException ex)
        {
            throw new ValidationException(option.TrimStart('-').Replace('-', '_'), $"{option} '{table}': {ex.Message}");
        }
    }

    /// <summary>The columns a query returns, read from its result schema without fetching a row.</summary>
    private static async Task<IReadOnlyList<ColumnInfo>> DescribeAsync(OpenConnection open, string query, CancellationToken cancellationToken)
    {
        await using var command = open.Command($"SELECT * FROM (\n{query.Trim().TrimEnd(';')}\n) pipekit_copy WHERE 1 = 0");
        try
        {
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
            return reader.GetColumnSchema().Select((c, i) => new ColumnInfo(c.ColumnName, c.DataTypeName ?? "text",
                c.ColumnSize is > 0 and < int.MaxValue ? c.ColumnSize : null, c.NumericPrecision is > 0 ? c.NumericPrecision : null,
                c.NumericPrecision is > 0 ? c.NumericScale : null, c.AllowDBNull ?? true, i + 1)).ToList();
        }
        catch (DbException ex)
        {
            throw new ValidationException("query", $"the source cannot run --query: {ex.Message.Split('\n')[0].Trim()}");
        }
    }

    private string GeneratedName() =>
        string.Create(CultureInfo.InvariantCulture, $"copy_{_time.GetUtcNow():yyyyMMdd_HHmmss}_{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 3).ToLowerInvariant()}");
}
