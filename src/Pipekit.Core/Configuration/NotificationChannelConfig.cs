using Pipekit.Core.Notifications;

namespace Pipekit.Core.Configuration;

/// <summary>
/// Reads the <c>[notifications.channel.NAME]</c> tables of <c>pipekit.toml</c> into channels, refusing an unknown key,
/// a wrong type or a bad value with <c>file:line: notifications.channel.NAME.key: what is wrong</c>.
/// </summary>
internal static class NotificationChannelConfig
{
    public const string Prefix = "notifications.channel.";

    public static IReadOnlyList<NotificationChannel> Build(IReadOnlyList<TomlEntry> entries, string path)
    {
        var channels = new List<NotificationChannel>();
        foreach (var table in entries.GroupBy(e => e.Table[Prefix.Length..], StringComparer.Ordinal))
        {
            var name = table.Key;
            var first = table.First();
            if (ChannelCheck.ValidateName(name) is { } badName)
                throw new ConfigException($"{path}:{first.Line}: [{first.Table}]: the channel name {badName}");
            var values = new Dictionary<string, TomlEntry>(StringComparer.Ordinal);
            foreach (var entry in table)
            {
                if (!ChannelCheck.WebhookKeys.Contains(entry.Key) && !ChannelCheck.EmailKeys.Contains(entry.Key))
                    throw new ConfigException($"{path}:{entry.Line}: unknown key '{entry.FullKey}' (a webhook channel takes {string.Join(", ", ChannelCheck.WebhookKeys)}; an email channel takes {string.Join(", ", ChannelCheck.EmailKeys)})");
                values[entry.Key] = entry;
            }
            if (!values.TryGetValue("type", out var typeEntry))
                throw new ConfigException($"{path}:{first.Line}: {first.Table}.type: is required (\"webhook\" or \"email\")");
            var channel = new NotificationChannel
            {
                Name = name,
                Kind = Text(typeEntry, path) ?? "",
                Source = "config",
                Url = Text(values, "url", path),
                Secret = Text(values, "secret", path),
                SmtpHost = Text(values, "host", path),
                SmtpPort = values.TryGetValue("port", out var port) ? Port(port, path) : 587,
                Security = Text(values, "security", path) ?? "starttls",
                Username = Text(values, "username", path),
                Password = Text(values, "password", path),
                From = Text(values, "from", path),
                To = values.TryGetValue("to", out var to) ? List(to, path) : [],
            };
            if (ChannelCheck.Validate(channel) is { } problem)
            {
                var at = values.TryGetValue(problem.Key, out var e) ? e : first;
                throw new ConfigException($"{path}:{at.Line}: {first.Table}.{problem.Key}: {problem.Message}");
            }
            channels.Add(channel);
        }
        return channels;
    }

    private static string? Text(Dictionary<string, TomlEntry> values, string key, string path) =>
        values.TryGetValue(key, out var entry) ? Text(entry, path) : null;

    private static string? Text(TomlEntry entry, string path) =>
        entry.Value as string ?? throw new ConfigException($"{path}:{entry.Line}: {entry.FullKey}: expected a string");

    private static int Port(TomlEntry entry, string path) =>
        entry.Value is long n && n is >= 1 and <= 65535
            ? (int)n
            : throw new ConfigException($"{path}:{entry.Line}: {entry.FullKey}: expected a port number between 1 and 65535");

    private static IReadOnlyList<string> List(TomlEntry entry, string path) => entry.Value switch
    {
        string one => [one],
        IEnumerable<string?> many when many.All(x => x is not null) => many.Select(x => x!).ToList(),
        _ => throw new ConfigException($"{path}:{entry.Line}: {entry.FullKey}: expected an address or an array of addresses"),
    };
}
