namespace Pipekit.Core.Drivers;

/// <summary>
/// The built-in driver kinds (<c>pipekit drivers list</c>), looked up by kind or by URI scheme. A driver is constructed
/// on first use, so a command pays only for the drivers of the connections it touches.
/// </summary>
public sealed class DriverRegistry
{
    private readonly Dictionary<string, Lazy<IDriver>> _byKind = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _kindByScheme = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _networkServers = new(StringComparer.OrdinalIgnoreCase);

    public DriverRegistry(IEnumerable<IDriver> drivers)
        : this(drivers.Select(d => new DriverEntry(d.Kind, d.Schemes, () => d)))
    {
    }

    internal DriverRegistry(IEnumerable<DriverEntry> entries)
    {
        foreach (var entry in entries)
        {
            _byKind.Add(entry.Kind, new Lazy<IDriver>(() => Build(entry), LazyThreadSafetyMode.ExecutionAndPublication));
            foreach (var scheme in entry.Schemes)
                _kindByScheme.Add(scheme, entry.Kind);
            if (entry.IsNetworkServer) _networkServers.Add(entry.Kind);
        }
    }

    /// <summary>Every built-in driver.</summary>
    public static DriverRegistry CreateDefault() => new(BuiltInDrivers.All());

    /// <summary>Every driver, each constructed now if it was not yet.</summary>
    public IReadOnlyCollection<IDriver> All => _byKind.Values.Select(d => d.Value).ToList();

    public IDriver Get(string kind) =>
        _byKind.TryGetValue(kind, out var driver)
            ? driver.Value
            : throw new DriverException($"unknown driver '{kind}'; run 'pipekit drivers list' to see the supported kinds");

    /// <summary>Whether a <paramref name="kind"/> connection reaches a server over the network; the driver is not built to answer.</summary>
    public bool IsNetworkServer(string kind) => _networkServers.Contains(kind);

    /// <summary>The driver whose scheme starts <paramref name="url"/>, or null for a native connection string.</summary>
    public IDriver? FindByUrl(string url)
    {
        var colon = url.IndexOf(':');
        if (colon <= 0) return null;
        return _kindByScheme.TryGetValue(url[..colon], out var kind) ? _byKind[kind].Value : null;
    }

    /// <summary>The driver for a connection: the explicit kind, else inferred from the URI scheme.</summary>
    public IDriver Resolve(string? kind, string url) =>
        !string.IsNullOrWhiteSpace(kind) ? Get(kind)
        : FindByUrl(url) ?? throw new DriverException("cannot tell the driver from the connection string; give --driver (see 'pipekit drivers list')");

    // The entry's kind and schemes were used for lookups before the driver existed; a driver that disagrees would
    // answer for a scheme it does not take.
    private static IDriver Build(DriverEntry entry)
    {
        var driver = entry.Create();
        if (!string.Equals(driver.Kind, entry.Kind, StringComparison.OrdinalIgnoreCase)
            || !driver.Schemes.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(entry.Schemes.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"driver '{driver.Kind}' ({string.Join(", ", driver.Schemes)}) is registered as '{entry.Kind}' ({string.Join(", ", entry.Schemes)})");
        return driver;
    }
}
