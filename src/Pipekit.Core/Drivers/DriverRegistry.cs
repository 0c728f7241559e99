namespace Pipekit.Core.Drivers;

/// <summary>The built-in driver kinds (<c>pipekit drivers list</c>), looked up by kind or by URI scheme.</summary>
public sealed class DriverRegistry
{
    private readonly Dictionary<string, IDriver> _byKind = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IDriver> _byScheme = new(StringComparer.OrdinalIgnoreCase);

    public DriverRegistry(IEnumerable<IDriver> drivers)
    {
        foreach (var driver in drivers)
        {
            _byKind.Add(driver.Kind, driver);
            foreach (var scheme in driver.Schemes)
                _byScheme.Add(scheme, driver);
        }
    }

    /// <summary>Every built-in driver.</summary>
    public static DriverRegistry CreateDefault() => new(BuiltInDrivers.All());

    public IReadOnlyCollection<IDriver> All => _byKind.Values;

    public IDriver Get(string kind) =>
        _byKind.TryGetValue(kind, out var driver)
            ? driver
            : throw new DriverException($"unknown driver '{kind}'; run 'pipekit drivers list' to see the supported kinds");

    /// <summary>The driver whose scheme starts <paramref name="url"/>, or null for a native connection string.</summary>
    public IDriver? FindByUrl(string url)
    {
        var colon = url.IndexOf(':');
        if (colon <= 0) return null;
        return _byScheme.TryGetValue(url[..colon], out var driver) ? driver : null;
    }

    /// <summary>The driver for a connection: the explicit kind, else inferred from the URI scheme.</summary>
    public IDriver Resolve(string? kind, string url) =>
        !string.IsNullOrWhiteSpace(kind) ? Get(kind)
        : FindByUrl(url) ?? throw new DriverException("cannot tell the driver from the connection string; give --driver (see 'pipekit drivers list')");
}
