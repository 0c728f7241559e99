namespace Pipekit.Sync.Modules;

/// <summary>
/// Pages of modules as last read, under the module aggregate's change version (<c>change_version</c>, bumped by
/// triggers on every module, watermark and hook change from any process). A page is served from here only while
/// the version it was read under is still current; any change empties the cache. Modules are immutable records,
/// so a cached page can be handed to every reader.
/// </summary>
public sealed class ModulePageCache
{
    /// <summary>Distinct filters kept at once; a further one empties the cache first.</summary>
    private const int MaxPages = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<ModuleFilter, IReadOnlyList<Module>> _pages = [];
    private long _version = -1;

    public bool TryGet(long version, ModuleFilter filter, out IReadOnlyList<Module> page)
    {
        lock (_gate)
        {
            if (version == _version && _pages.TryGetValue(filter, out var cached))
            {
                page = cached;
                return true;
            }
        }
        page = [];
        return false;
    }

    /// <summary>Keeps a page read under <paramref name="version"/>, which must have been read before the page itself.</summary>
    public void Put(long version, ModuleFilter filter, IReadOnlyList<Module> page)
    {
        lock (_gate)
        {
            if (version != _version || _pages.Count >= MaxPages)
            {
                _pages.Clear();
                _version = version;
            }
            _pages[filter] = page;
        }
    }
}
