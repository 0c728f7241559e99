using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Pipekit.Core.Connections;
using Pipekit.Core.Validation;
using Pipekit.Sync.Deletes;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Verification;

/// <summary>
/// Compares a module's whole source scope (its source query without the watermark conditions, or its keys query) with
/// its destination: row counts, and an order-independent digest of the merge keys or of every column, computed here
/// from streamed values normalised per type (<see cref="VerifyValue"/>), so that engines agree on equal values. Both
/// sides are read the way a run reads its source (<see cref="Core.Drivers.IExactReads"/>): decimals wider than 28 digits
/// as their exact text, which no System.Decimal can hold, and intervals as their parts' text, which PostgreSQL and
/// DuckDB (and a Parquet lake, read through DuckDB) compute alike. When
/// the digests differ, both sides are read once more to list the differing keys, keeping only rows in the differing
/// hash buckets. Soft-deleted destination rows are left out. The CLI, the API and the after-run check call this.
/// </summary>
public sealed class ModuleVerifier
{
    private const int SampleSize = 10;
    private const int CollectLimit = 200_000;

    private readonly ModuleRepository _modules;
    private readonly ConnectionRepository _connections;
    private readonly ConnectionFactory _factory;
    private readonly WatermarkResolver _watermarks;

    public ModuleVerifier(ModuleRepository modules, ConnectionRepository connections, ConnectionFactory factory, WatermarkResolver watermarks)
    {
        _modules = modules;
        _connections = connections;
        _factory = factory;
        _watermarks = watermarks;
    }

    public async Task<VerifyResult> VerifyAsync(long moduleId, VerifyRequest request, CancellationToken cancellationToken)
    {
        var module = await _modules.GetAsync(moduleId, cancellationToken) ?? throw new ModuleNotFoundException($"with id {moduleId}");
        var connections = (await _connections.ListAsync(cancellationToken)).ToDictionary(c => c.Id);
        return await VerifyAsync(module, connections, request, cancellationToken);
    }

    internal async Task<VerifyResult> VerifyAsync(Module module, IReadOnlyDictionary<long, ConnectionRecord> connections, VerifyRequest request,
        CancellationToken ct)
    {
        if (request.Mode == VerifyMode.None) throw new ValidationException("mode", "is none; compare counts or keys");
        if (request.Mode == VerifyMode.Keys && !request.Columns && module.MergeKeyColumns.Count == 0)
            throw new ValidationException("mode", $"module '{module.Name}' has no merge key to compare; compare counts or every column (--columns)");
        if (request.Where is { } w && (w.Contains(';', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(w)))
            throw new ValidationException("where", "must be one SQL condition, without ';'");
        var clock = Stopwatch.StartNew();
        await using var source = await _factory.OpenAsync(connections[module.SourceConnectionId], module.Project, ct);
        await using var dest = await _factory.OpenAsync(connections[module.DestConnectionId], module.Project, ct);
        var compared = request.Columns ? "columns" : request.Mode == VerifyMode.Counts ? "counts" : "keys";

        // The source side: the key set (explicit or derived) unless every column or a condition needs the full query.
        var useKeys = !request.Columns && request.Where is null && module.MergeKeyColumns.Count > 0 && SourceScope.KeysQuery(module, source.Dialect).Sql is not null;
        var scope = useKeys ? SourceScope.KeysQuery(module, source.Dialect) : SourceScope.FullQuery(module);
        if (scope.Sql is null) throw new SyncException(scope.Error!);
        var baseSql = scope.Sql;
        if (Placeholders.Find(baseSql).Count > 0)
            baseSql = Placeholders.Substitute(baseSql, await _watermarks.ResolveAsync(module, connections, ct));

        var destTable = Core.Drivers.TableName.Parse(module.DestTable);
        var destColumns = request.Columns ? await DestinationColumnsAsync(module, source, baseSql, ct) : module.MergeKeyColumns;
        var filters = new List<string>();
        if (module.DeleteDetection == DeleteDetection.Soft && await HasColumnAsync(dest, destTable, DeleteSqlBuilder.DeletedAtColumn, ct))
            filters.Add($"{dest.Dialect.QuoteIdentifier(DeleteSqlBuilder.DeletedAtColumn)} IS NULL");
        if (request.Where is { } where) filters.Add($"({where})");
        var destWhere = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        var sourceWhere = request.Where is { } sw ? $" WHERE ({sw})" : "";
        var destFrom = $"FROM {dest.Dialect.QualifyTable(destTable)}{destWhere}";
        var sourceFrom = $"FROM ({baseSql}) pipekit_verify{sourceWhere}";

        if (request.Mode == VerifyMode.Counts && !request.Columns)
        {
            var sourceRows = await CountAsync(source, $"SELECT count(*) {sourceFrom}", ct);
            var destRows = await CountAsync(dest, $"SELECT count(*) {destFrom}", ct);
            return new VerifyResult
            {
                Module = module.Name, Compared = compared, Where = request.Where, SourceRows = sourceRows, DestRows = destRows,
                Match = sourceRows == destRows, ElapsedMs = clock.ElapsedMilliseconds,
            };
        }

        // Positional: the n-th source column lands in the n-th destination column, as in a run.
        var sourceSelect = useKeys && request.Where is null
            ? $"SELECT * {sourceFrom}"
            : $"SELECT {string.Join(", ", destColumns.Select(source.Dialect.QuoteIdentifier))} {sourceFrom}";
        if (request.Columns) sourceSelect = $"SELECT * {sourceFrom}";
        var destSelect = $"SELECT {string.Join(", ", destColumns.Select(dest.Dialect.QuoteIdentifier))} {destFrom}";

        // Wide decimals do not fit a System.Decimal and intervals with months have no TimeSpan: read both as exact text.
        sourceSelect = await ExactTextAsync(source, sourceSelect, ct);
        destSelect = await ExactTextAsync(dest, destSelect, ct);

        var sourceDigest = await DigestAsync(source, sourceSelect, ct);
        var destDigest = await DigestAsync(dest, destSelect, ct);
        var buckets = sourceDigest.Differences(destDigest);
        if (buckets.Count == 0)
            return new VerifyResult
            {
                Module = module.Name, Compared = compared, Where = request.Where, SourceRows = sourceDigest.Rows, DestRows = destDigest.Rows,
                Match = true, Missing = 0, Extra = 0, ElapsedMs = clock.ElapsedMilliseconds,
            };

        var (sourceRowsIn, sourceTruncated) = await CollectAsync(source, sourceSelect, buckets, ct);
        var (destRowsIn, destTruncated) = await CollectAsync(dest, destSelect, buckets, ct);
        var missing = Subtract(sourceRowsIn, destRowsIn);
        var extra = Subtract(destRowsIn, sourceRowsIn);
        return new VerifyResult
        {
            Module = module.Name, Compared = compared, Where = request.Where, SourceRows = sourceDigest.Rows, DestRows = destDigest.Rows,
            Match = false, Missing = missing.Sum(m => (long)m.Value), Extra = extra.Sum(e => (long)e.Value),
            MissingSample = Sample(missing), ExtraSample = Sample(extra), Truncated = sourceTruncated || destTruncated,
            ElapsedMs = clock.ElapsedMilliseconds,
        };
    }

    /// <summary>The result as the run log, the API and the CLI summarise it in one line.</summary>
    public static string Summary(VerifyResult r)
    {
        var counts = string.Create(CultureInfo.InvariantCulture, $"source {r.SourceRows} rows, destination {r.DestRows} rows");
        if (r.Match) return $"verify ({r.Compared}): match; {counts}";
        var detail = r.Missing is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; {r.Missing}{(r.Truncated ? "+" : "")} missing from the destination, {r.Extra}{(r.Truncated ? "+" : "")} extra");
        return $"verify ({r.Compared}): DRIFT; {counts}{detail}";
    }

    private async Task<IReadOnlyList<string>> DestinationColumnsAsync(Module module, OpenConnection source, string baseSql, CancellationToken ct)
    {
        if (module.Columns.Count > 0) return module.Columns.Select(c => c.DestName).ToList();
        var described = await SchemaChanges.SourceColumns.DescribeAsync(source, baseSql, ct);
        return described.Select(c => c.Name).ToList();
    }

    private static async Task<bool> HasColumnAsync(OpenConnection dest, Core.Drivers.TableName table, string column, CancellationToken ct) =>
        (await new Core.Drivers.Introspector(dest.Connection, dest.Dialect).GetColumnsAsync(table, ct))
        .Any(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));

    private static Task<string> ExactTextAsync(OpenConnection connection, string sql, CancellationToken ct) =>
        connection.Driver is Core.Drivers.IExactReads exact
            ? exact.ExactQueryAsync(connection.Connection, null, sql, ct)
            : Task.FromResult(sql);

    private static async Task<long> CountAsync(OpenConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<RowDigest> DigestAsync(OpenConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        return await RowDigest.ReadAsync(reader, ct);
    }

    private static async Task<(Dictionary<string, int> Rows, bool Truncated)> CollectAsync(OpenConnection connection, string sql, HashSet<int> buckets,
        CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        return await RowDigest.CollectAsync(reader, buckets, CollectLimit, ct);
    }

    private static Dictionary<string, int> Subtract(Dictionary<string, int> left, Dictionary<string, int> right)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, count) in left)
        {
            var rest = count - right.GetValueOrDefault(row);
            if (rest > 0) result[row] = rest;
        }
        return result;
    }

    private static List<string> Sample(Dictionary<string, int> rows) =>
        rows.Keys.Order(StringComparer.Ordinal).Take(SampleSize).Select(VerifyValue.Display).ToList();
}
