namespace Pipekit.Core.Configuration;

/// <summary>
/// Finds and parses <c>pipekit.toml</c>: <c>--config</c>, then <c>PIPEKIT_CONFIG</c>, then
/// <c>$PIPEKIT_HOME/pipekit.toml</c>. No file means defaults. Unknown keys, wrong types and bad values are
/// errors naming the file, the line and the key.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The path that would be read, and whether it was named explicitly (and so must exist).</summary>
    public static (string Path, bool Explicit) Locate(string? cliPath, PipekitHome home, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(cliPath)) return (Path.GetFullPath(cliPath), true);
        var env = PipekitHome.Lookup(environment, "PIPEKIT_CONFIG");
        if (!string.IsNullOrWhiteSpace(env)) return (Path.GetFullPath(env), true);
        return (home.DefaultConfigPath, false);
    }

    public static async Task<PipekitConfig> LoadAsync(string? cliPath, PipekitHome home, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var (path, isExplicit) = Locate(cliPath, home, environment);
        if (!File.Exists(path))
        {
            if (isExplicit) throw new ConfigException($"config file {path} not found; create it or drop --config/PIPEKIT_CONFIG to use defaults");
            return new PipekitConfig();
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(text, path);
    }

    /// <summary>Parses configuration text; <paramref name="path"/> is used in error messages.</summary>
    public static PipekitConfig Parse(string text, string path)
    {
        var builder = new ConfigBuilder();
        var channels = new List<TomlEntry>();
        foreach (var entry in TomlEntryReader.Read(text, path))
        {
            if (entry.Table.StartsWith(NotificationChannelConfig.Prefix, StringComparison.Ordinal))
            {
                channels.Add(entry);
                continue;
            }
            if (!ConfigKeys.All.TryGetValue(entry.FullKey, out var key))
            {
                var hint = ConfigKeys.SectionNames.Contains(entry.Table)
                    ? $"known keys in [{entry.Table}]: {string.Join(", ", ConfigKeys.KeysOf(entry.Table))}"
                    : $"known sections: {string.Join(", ", ConfigKeys.SectionNames.Select(s => $"[{s}]"))}";
                throw new ConfigException($"{path}:{entry.Line}: unknown key '{entry.FullKey}' ({hint})");
            }
            var error = key.Apply(builder, entry.Value);
            if (error is not null)
                throw new ConfigException($"{path}:{entry.Line}: {entry.FullKey}: {error}");
        }
        builder.Notifications = builder.Notifications with { ChannelList = NotificationChannelConfig.Build(channels, path) };
        return builder.Build(path);
    }
}
