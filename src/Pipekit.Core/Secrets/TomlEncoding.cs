using System.Globalization;
using System.Text;
using Tomlyn.Syntax;

namespace Pipekit.Core.Secrets;

// Writes keys and values as TOML text.
internal static class TomlEncoding
{
    // A TOML basic string ("...") holding value exactly.
    // Basic strings rather than literal ones because only basic strings can hold every value: a literal string
    // cannot contain ' or a line break. Non-ASCII text is written as itself (the file is UTF-8); control
    // characters become escapes because TOML forbids them raw.
    public static string BasicString(string value)
    {
        if (!IsWellFormed(value))
            throw new ArgumentException("the string holds an unpaired surrogate, which UTF-8 cannot store", nameof(value));

        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ' or '\u007f':
                    builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    // False when value holds an unpaired surrogate, which no UTF-8 file can store.
    public static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsLowSurrogate(value[i])) return false;
            if (!char.IsHighSurrogate(value[i])) continue;
            if (i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
            i++;
        }
        return true;
    }

    // A key as TOML writes it: bare when TOML allows, quoted otherwise ("my key", "a.b").
    public static string Key(string key) => BareKeySyntax.IsBareKey(key) ? key : BasicString(key);
}
