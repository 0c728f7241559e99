using System.Text.RegularExpressions;
using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Modules;

/// <summary>
/// Save-time checks of a module (repeated before each run): names, connections, placeholders against
/// watermarks, merge keys against columns, hooks. Errors are per field and name the thing at fault.
/// </summary>
public static partial class ModuleValidator
{
    /// <param name="destTypes">
    /// The destination engine's type grammar for <c>dest_type</c>; when the destination is not known yet, every engine's
    /// forms are accepted but SQL around a type never is.
    /// </param>
    /// <param name="destEngine">The destination engine, for the full_load modes it can run atomically; null skips that check (the run repeats it).</param>
    public static void Validate(Module m, IReadOnlySet<long> connectionIds, ColumnTypeGrammar? destTypes = null, DestinationEngine? destEngine = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(connectionIds);
        destTypes ??= ColumnTypeGrammar.Any;
        var errors = new ValidationErrors();
        if (!Identifier().IsMatch(m.Name ?? ""))
            errors.Add("name", "must start with a letter or '_' and hold only letters, digits and '_' (it names the staging table), at most 63 characters");
        if (!connectionIds.Contains(m.SourceConnectionId))
            errors.Add("source_connection_id", $"connection {m.SourceConnectionId} does not exist");
        if (!connectionIds.Contains(m.DestConnectionId))
            errors.Add("dest_connection_id", $"connection {m.DestConnectionId} does not exist");
        if (string.IsNullOrWhiteSpace(m.DestTable))
            errors.Add("dest_table", "is required, e.g. warehouse.orders");
        else
        {
            try
            {
                var table = TableName.Parse(m.DestTable);
                foreach (var part in new[] { table.LinkedServer, table.Database, table.Schema, table.Table }.OfType<string>())
                    if (NameProblem(part) is { } problem) errors.Add("dest_table", $"'{Shown(part)}' {problem}");
            }
            catch (FormatException ex)
            {
                errors.Add("dest_table", ex.Message);
            }
        }
        if (string.IsNullOrWhiteSpace(m.SourceQuery))
            errors.Add("source_query", "is required");

        var destNames = m.Columns.Select(c => c.DestName).ToList();
        foreach (var c in m.Columns.Where(c => string.IsNullOrWhiteSpace(c.DestName)))
            errors.Add("columns", $"column '{Shown(c.SourceName)}' has no dest_name");
        foreach (var c in m.Columns.Where(c => !string.IsNullOrWhiteSpace(c.DestName)))
        {
            if (NameProblem(c.DestName) is { } nameProblem) errors.Add("columns", $"dest_name '{Shown(c.DestName)}' {nameProblem}");
            if (c.DestType is not null && destTypes.Problem(c.DestType) is { } typeProblem)
                errors.Add("columns", $"dest_type of '{Shown(c.DestName)}' {typeProblem}");
        }
        foreach (var dup in destNames.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add("columns", $"dest_name '{dup.Key}' appears {dup.Count()} times");

        if (m.MergeStrategy == MergeStrategy.Incremental && m.MergeKeyColumns.Count == 0)
            errors.Add("merge_key", "an incremental module needs a merge key (destination column names, comma-separated)");
        if (m.Columns.Count > 0)
            foreach (var key in m.MergeKeyColumns.Where(k => !destNames.Contains(k, StringComparer.OrdinalIgnoreCase)))
                errors.Add("merge_key", $"merge-key column '{Shown(key)}' is not one of the module's destination columns");
        else
            foreach (var key in m.MergeKeyColumns)
                if (NameProblem(key) is { } keyProblem) errors.Add("merge_key", $"merge-key column '{Shown(key)}' {keyProblem}");

        foreach (var w in m.Watermarks)
        {
            if (!Identifier().IsMatch(w.Name ?? ""))
                errors.Add("watermarks", $"watermark name '{w.Name}' must be an identifier (letters, digits, '_')");
            if (!connectionIds.Contains(w.ConnectionId))
                errors.Add("watermarks", $"watermark '{w.Name}': connection {w.ConnectionId} does not exist");
            if (string.IsNullOrWhiteSpace(w.ResolverSql))
                errors.Add("watermarks", $"watermark '{w.Name}' has no resolver_sql");
        }
        foreach (var dup in m.Watermarks.GroupBy(w => w.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add("watermarks", $"watermark '{dup.Key}' is declared {dup.Count()} times");
        if (!string.IsNullOrWhiteSpace(m.SourceQuery))
            foreach (var problem in Placeholders.Problems(m.SourceQuery, m.Watermarks.Select(w => w.Name)))
                errors.Add("source_query", problem);

        ValidateCorrectnessOptions(m, errors);
        if (m.FullLoad != FullLoad.Staging && m.MergeStrategy != MergeStrategy.Full)
            errors.Add("full_load", $"'{m.FullLoad.ToText()}' applies to full modules only: an {m.MergeStrategy.ToString().ToLowerInvariant()} module merges through staging; remove full_load or set merge_strategy = \"full\"");
        else if (destEngine?.FullLoadProblem(m.FullLoad) is { } fullLoadProblem)
            errors.Add("full_load", fullLoadProblem);
        if (m.Retries is < 0 or > RetryPolicy.MaxRetries)
            errors.Add("retries", $"{m.Retries} must be between 0 and {RetryPolicy.MaxRetries}");
        if (m.RetryDelay < TimeSpan.Zero || m.RetryDelay > RetryPolicy.MaxDelay)
            errors.Add("retry_delay", "must be between 0s and 1h, e.g. \"30s\" or \"2m\"");

        foreach (var h in m.Hooks)
        {
            if (!connectionIds.Contains(h.ConnectionId))
                errors.Add("hooks", $"hook {h.RunOrder}: connection {h.ConnectionId} does not exist");
            if (string.IsNullOrWhiteSpace(h.Sql))
                errors.Add("hooks", $"hook {h.RunOrder} has no sql");
        }
        errors.ThrowIfAny();
    }

    /// <summary>
    /// What is wrong with a table or column name, or null. The dialect quotes every name, so this is not what keeps SQL
    /// out; it keeps names a person can read back and type: letters, digits, spaces and <c>_ $ # @ - .</c>.
    /// </summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > MaxNameLength) return $"is longer than {MaxNameLength} characters";
        if (name.Trim() != name) return "has leading or trailing spaces";
        if (name.Contains("--", StringComparison.Ordinal)) return "holds '--' (an SQL comment); a name holds letters, digits, spaces and _ $ # @ - .";
        foreach (var c in name)
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$' or '#' or '@' or ' ' or '-' or '.'))
                return $"holds {Describe(c)}; a name holds letters, digits, spaces and _ $ # @ - .";
        return null;
    }

    private const int MaxNameLength = 128;

    private static string Describe(char c) => char.IsControl(c) ? $"a control character (U+{(int)c:X4})" : $"'{c}'";

    private static string Shown(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;


    // Delete detection and verification read the source's whole key set; a module whose set cannot be derived must
    // say how to read it before it is saved, not fail on its first run.
    private static void ValidateCorrectnessOptions(Module m, ValidationErrors errors)
    {
        if (m.DeleteDetection != DeleteDetection.None && m.MergeStrategy != MergeStrategy.Incremental)
            errors.Add("delete_detection",
                $"'{m.DeleteDetection.ToText()}' needs an incremental module: a full module replaces every row on each run and an append module keeps every row");
        if (m.Verify == VerifyMode.Keys && m.MergeKeyColumns.Count == 0)
            errors.Add("verify", "'keys' compares merge keys and the module has no merge key; set merge_key or use verify = \"counts\"");
        if (!string.IsNullOrWhiteSpace(m.KeysQuery))
            foreach (var name in Placeholders.Find(m.KeysQuery).Where(n => !m.Watermarks.Any(w => w.Name == n)))
                errors.Add("keys_query", $"placeholder {{{name}}} has no watermark");
        if (string.IsNullOrWhiteSpace(m.SourceQuery)) return;
        if (m.DeleteDetection != DeleteDetection.None && m.MergeKeyColumns.Count > 0 && Deletes.SourceScope.KeysQuery(m).Error is { } keysError)
            errors.Add("keys_query", keysError);
        if (m.Verify != VerifyMode.None && string.IsNullOrWhiteSpace(m.KeysQuery) && Deletes.SourceScope.FullQuery(m).Error is { } scopeError)
            errors.Add("verify", scopeError);
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,62}\z")]
    private static partial Regex Identifier();
}
