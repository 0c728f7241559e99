using System.Text;
using System.Text.RegularExpressions;

namespace Pipekit.Chains.Planning;

/// <summary>A <c>chain.toml</c> glob: <c>*</c> and <c>?</c> stay inside one directory, <c>**</c> spans directories.</summary>
internal sealed class StepGlob
{
    private readonly Regex _regex;

    public StepGlob(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                // "**/" also matches no directory at all
                if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; regex.Append("(?:.*/)?"); }
                else regex.Append(".*");
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        regex.Append('$');
        _regex = new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    public static bool IsGlob(string pattern) => pattern.IndexOfAny(['*', '?']) >= 0;

    public bool Matches(string path) => _regex.IsMatch(path);
}
