using System.Text;
using System.Text.RegularExpressions;

namespace Pipekit.Sync.Watermarks;

/// <summary>
/// The <c>{name}</c> tokens of a source query. Substitution is literal text replacement with no type
/// coercion: the resolver SQL decides whether a value arrives quoted (seed 002 "Watermarks").
/// </summary>
public static partial class Placeholders
{
    /// <summary>Distinct placeholder names in order of first appearance.</summary>
    public static IReadOnlyList<string> Find(string sql) =>
        Token().Matches(sql).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Replaces every <c>{name}</c> that has a value; unknown tokens are left as they are.</summary>
    public static string Substitute(string sql, IReadOnlyDictionary<string, string> values)
    {
        var result = new StringBuilder(sql.Length);
        var last = 0;
        foreach (Match m in Token().Matches(sql))
        {
            if (!values.TryGetValue(m.Groups[1].Value, out var value)) continue;
            result.Append(sql, last, m.Index - last).Append(value);
            last = m.Index + m.Length;
        }
        return result.Append(sql, last, sql.Length - last).ToString();
    }

    /// <summary>
    /// The two mistakes checked when a module is saved and again before it runs: a placeholder with no
    /// watermark, and a watermark the query never uses.
    /// </summary>
    public static IReadOnlyList<string> Problems(string sql, IEnumerable<string> watermarkNames)
    {
        var used = Find(sql);
        var declared = watermarkNames.ToList();
        var problems = new List<string>();
        foreach (var name in used.Where(n => !declared.Contains(n, StringComparer.Ordinal)))
            problems.Add($"placeholder {{{name}}} has no watermark; add a watermark named '{name}' or remove it from the query");
        foreach (var name in declared.Where(n => !used.Contains(n, StringComparer.Ordinal)))
            problems.Add($"watermark '{name}' is never used: the source query has no {{{name}}} placeholder");
        return problems;
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Token();
}
