using System.Text;

namespace Pipekit.Core.Drivers;

/// <summary>The wizard's default destination alias for a source column (seed 002 "Step 2"); the same for every engine.</summary>
public static class ColumnAlias
{
    /// <summary>
    /// Lowercases and strips special characters: <c>DCORD#</c> → <c>dcord</c>. Separators (space, dash, dot)
    /// become one underscore; a leading digit gets an underscore so the alias needs no quoting.
    /// </summary>
    public static string Default(string columnName)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        var alias = new StringBuilder(columnName.Length);
        foreach (var c in columnName.Trim())
        {
            if (char.IsLetterOrDigit(c))
                alias.Append(char.ToLowerInvariant(c));
            else if ((c == '_' || c == ' ' || c == '-' || c == '.') && alias.Length > 0 && alias[^1] != '_')
                alias.Append('_');
        }
        while (alias.Length > 0 && alias[^1] == '_') alias.Length--;
        if (alias.Length == 0) return "column";
        if (char.IsDigit(alias[0])) alias.Insert(0, '_');
        return alias.ToString();
    }
}
