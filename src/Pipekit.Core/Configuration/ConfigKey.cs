namespace Pipekit.Core.Configuration;

/// <summary>One known setting: its dotted name, and how a raw TOML value is checked and applied.</summary>
internal sealed record ConfigKey(string Section, string Name, Func<ConfigBuilder, object?, string?> Apply)
{
    public string FullName => $"{Section}.{Name}";

    public static ConfigKey String(string section, string name, Action<ConfigBuilder, string> set, Func<string, string?>? validate = null) =>
        new(section, name, (b, v) =>
        {
            if (v is not string s) return $"expected a string, got {Describe(v)}";
            if (validate?.Invoke(s) is { } error) return error;
            set(b, s);
            return null;
        });

    public static ConfigKey Integer(string section, string name, long min, long max, Action<ConfigBuilder, int> set) =>
        new(section, name, (b, v) =>
        {
            if (v is not long n) return $"expected an integer, got {Describe(v)}";
            if (n < min || n > max) return $"must be between {min} and {max}, got {n}";
            set(b, (int)n);
            return null;
        });

    public static ConfigKey Long(string section, string name, long min, long max, Action<ConfigBuilder, long> set) =>
        new(section, name, (b, v) =>
        {
            if (v is not long n) return $"expected an integer, got {Describe(v)}";
            if (n < min || n > max) return $"must be between {min} and {max}, got {n}";
            set(b, n);
            return null;
        });

    public static ConfigKey Boolean(string section, string name, Action<ConfigBuilder, bool> set) =>
        new(section, name, (b, v) =>
        {
            if (v is not bool x) return $"expected true or false, got {Describe(v)}";
            set(b, x);
            return null;
        });

    /// <summary>An array of strings, each checked by <paramref name="validate"/>.</summary>
    public static ConfigKey StringList(string section, string name, Action<ConfigBuilder, IReadOnlyList<string>> set, Func<string, string?>? validate = null) =>
        new(section, name, (b, v) =>
        {
            if (v is not IEnumerable<string?> items || v is string) return $"expected an array of strings, got {Describe(v)}";
            var list = new List<string>();
            foreach (var item in items)
            {
                if (item is null) return "expected an array of strings, got an array holding something else";
                if (validate?.Invoke(item) is { } error) return error;
                list.Add(item);
            }
            set(b, list);
            return null;
        });

    /// <summary>A duration written as <c>"30s"</c>, <c>"5m"</c>, <c>"1h"</c>, <c>"250ms"</c>, or a whole number of seconds.</summary>
    public static ConfigKey Duration(string section, string name, TimeSpan min, TimeSpan max, Action<ConfigBuilder, TimeSpan> set) =>
        new(section, name, (b, v) =>
        {
            TimeSpan value;
            if (v is long seconds) value = TimeSpan.FromSeconds(seconds);
            else if (v is string s && DurationText.TryParse(s, out var parsed)) value = parsed;
            else return $"expected a duration such as \"30s\", \"5m\" or \"1h\", got {(v is string text ? $"\"{text}\"" : Describe(v))}";
            if (value < min || value > max) return $"must be between {DurationText.Format(min)} and {DurationText.Format(max)}, got {DurationText.Format(value)}";
            set(b, value);
            return null;
        });

    private static string Describe(object? v) => v switch
    {
        null => "nothing",
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        System.Collections.IEnumerable => "an array",
        _ => v.GetType().Name,
    };
}
