using System.Collections.Frozen;
using System.Text.Json;

namespace Pipekit.Core.Secrets;

/// <summary>
/// The secrets a Pipekit process may use, read from a secrets file: Pit's TOML (<c>[global]</c> plus one
/// <c>[project]</c> section per DAG or module project) or a <c>KEY=VALUE</c> env file, read as <c>[global]</c>.
/// A key resolves in its project's section first, then in <c>[global]</c>.
/// </summary>
/// <remarks>
/// The store always answers from the file as it is now: every use compares the file's modification time and size with
/// those it was read at and reads it again when they differ, and <see cref="Watch"/> adds a file watch for changes
/// those two cannot show (a rewrite within the file system's timestamp resolution that keeps the size). So a secret set
/// with <c>pipekit secrets set</c> while <c>pipekit serve</c> runs is found, and redacted, at once. A file that stops
/// parsing keeps the last good secrets in use until it is fixed.
/// </remarks>
public sealed class SecretStore
{
    private static readonly IReadOnlyDictionary<string, string> NoSecrets = FrozenDictionary<string, string>.Empty;

    private readonly Lock _reloadGate = new();
    private Snapshot _snapshot;
    private int _changeSignalled;

    private SecretStore(string path, Snapshot snapshot)
    {
        Path = path;
        _snapshot = snapshot;
    }

    /// <summary>The absolute path of the secrets file.</summary>
    public string Path { get; }

    /// <summary>Whether the file exists (as last read).</summary>
    public bool Exists => Current.Exists;

    /// <summary>Counts the reads of the file that changed what the store holds; a <see cref="Redactor"/> compares it to know it must catch up.</summary>
    internal long Version => Current.Version;

    /// <summary>Why the file could not be read again, when its last change left it unreadable (the last good secrets stay in use).</summary>
    public string? ReloadError => Current.Error;

    /// <summary>The project sections in the file (every section but <c>[global]</c>), ordinally sorted.</summary>
    public IReadOnlyList<string> Projects
    {
        get
        {
            var current = Current;
            return current.Sections.Keys.Concat(current.Tables.Keys).Where(name => name != SecretsDocument.GlobalSection).Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Every secret value in the file, each once, for a <see cref="Redactor"/>.</summary>
    public IEnumerable<string> Values => ValuesOf(Current);

    internal (long Version, IReadOnlyList<string> Values) CurrentValues()
    {
        var current = Current;
        return (current.Version, ValuesOf(current).ToList());
    }

    private static IEnumerable<string> ValuesOf(Snapshot snapshot) => snapshot.Sections.Values.SelectMany(section => section.Values)
        .Concat(snapshot.Tables.Values.SelectMany(secrets => secrets.Values).SelectMany(fields => fields.Values))
        .Distinct(StringComparer.Ordinal);

    /// <summary>Loads the secrets file at <paramref name="path"/>.</summary>
    /// <exception cref="SecretsException">The file is missing, unreadable, or not a valid secrets file (the message gives the line).</exception>
    public static async Task<SecretStore> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var stamp = FileStamp.Of(fullPath);
        var text = await SecretsDocument.ReadTextAsync(fullPath, cancellationToken).ConfigureAwait(false)
            ?? throw SecretsException.FileNotFound(fullPath);
        return new SecretStore(fullPath, Snapshot.Parse(fullPath, text, stamp, version: 0));
    }

    /// <summary>
    /// Loads the secrets file at <paramref name="path"/>, or returns an empty store that remembers the path when
    /// the file does not exist yet (so that <c>pipekit secrets set</c> can create it, and a running server sees it once it does).
    /// </summary>
    /// <exception cref="SecretsException">The file exists but is unreadable or not a valid secrets file.</exception>
    public static async Task<SecretStore> LoadOrEmptyAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var stamp = FileStamp.Of(fullPath);
        var text = await SecretsDocument.ReadTextAsync(fullPath, cancellationToken).ConfigureAwait(false);
        return new SecretStore(fullPath, text is null ? Snapshot.Empty(stamp, version: 0) : Snapshot.Parse(fullPath, text, stamp, version: 0));
    }

    /// <summary>
    /// Watches the file's directory and rereads the file as soon as it changes, for as long as the result is not
    /// disposed. Without a watch the store still rereads a changed file on its next use.
    /// </summary>
    /// <returns>Null when the directory does not exist (the check on use still applies).</returns>
    public IDisposable? Watch()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is null || !Directory.Exists(directory)) return null;
        var watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(Path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler changed = (_, _) => OnChangeSignalled();
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (_, _) => OnChangeSignalled();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnChangeSignalled()
    {
        Volatile.Write(ref _changeSignalled, 1);
        try
        {
            Refresh();
        }
        catch (IOException)
        {
            // the next use tries again
        }
    }

    // The snapshot for the file as it is now: one stat per use, a read only when the file changed.
    private Snapshot Current
    {
        get
        {
            Refresh();
            return Volatile.Read(ref _snapshot);
        }
    }

    private void Refresh()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (Volatile.Read(ref _changeSignalled) == 0 && FileStamp.Of(Path) == snapshot.Stamp) return;
        lock (_reloadGate)
        {
            snapshot = _snapshot;
            var signalled = Interlocked.Exchange(ref _changeSignalled, 0) == 1;
            // Taken before the read: a write that lands during it changes the stamp again, so the next use reads again.
            var stamp = FileStamp.Of(Path);
            if (!signalled && stamp == snapshot.Stamp) return;
            Snapshot next;
            try
            {
                var text = SecretsDocument.ReadText(Path);
                next = text is null ? Snapshot.Empty(stamp, snapshot.Version + 1) : Snapshot.Parse(Path, text, stamp, snapshot.Version + 1);
            }
            catch (SecretsException ex)
            {
                // A file broken mid-edit by hand: keep serving the last good secrets, and say why in ReloadError.
                next = snapshot with { Stamp = stamp, Error = ex.Message };
            }
            Volatile.Write(ref _snapshot, next);
        }
    }

    /// <summary>
    /// The value of <paramref name="key"/> in <paramref name="project"/>'s section, else in <c>[global]</c>.
    /// A null or empty project means <c>[global]</c> only.
    /// </summary>
    /// <exception cref="SecretsException">The key is in neither section.</exception>
    public string Resolve(string? project, string key) =>
        TryResolve(project, key, out var value) ? value : throw NotFound(project, key, alsoEnvironment: false);

    /// <summary>
    /// Like <see cref="Resolve"/>, returning false instead of throwing when the key is absent. A secret written as a
    /// TOML table (<c>[project.secret]</c> with fields) resolves to its fields as a JSON object string.
    /// </summary>
    public bool TryResolve(string? project, string key, out string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var current = Current;
        foreach (var section in Scopes(project))
        {
            if (Section(current, section).TryGetValue(key, out var plain))
            {
                value = plain;
                return true;
            }
            if (Table(current, section, key) is { } fields)
            {
                value = JsonSerializer.Serialize(fields);
                return true;
            }
        }
        value = "";
        return false;
    }

    /// <summary>
    /// One field of a table-valued secret (<c>[project.secret]</c> with <c>host</c>, <c>user</c>, <c>password</c>…): the
    /// secret resolves project first, then <c>[global]</c>, as a plain one does; the field is then looked up in it.
    /// </summary>
    /// <returns>False when no table secret of that name is in scope, or it has no such field.</returns>
    public bool TryResolveField(string? project, string secret, string field, out string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(field);
        var current = Current;
        foreach (var section in Scopes(project))
        {
            // A plain secret of the name shadows a global table, as it would for get_secret.
            if (Section(current, section).ContainsKey(secret)) break;
            if (Table(current, section, secret) is { } fields)
                return fields.TryGetValue(field, out value!) || Fail(out value);
        }
        return Fail(out value);
    }

    private static bool Fail(out string value)
    {
        value = "";
        return false;
    }

    private static IEnumerable<string> Scopes(string? project)
    {
        var section = SecretsDocument.SectionOf(project);
        if (section != SecretsDocument.GlobalSection) yield return section;
        yield return SecretsDocument.GlobalSection;
    }

    private static IReadOnlyDictionary<string, string>? Table(Snapshot snapshot, string section, string secret) =>
        snapshot.Tables.TryGetValue(section, out var secrets) && secrets.TryGetValue(secret, out var fields) ? fields : null;

    /// <summary>
    /// Resolves a <c>$NAME</c> (or <c>${NAME}</c>) reference, as a connection's password holds it: the project's
    /// section, then <c>[global]</c>, then the process environment variable <c>NAME</c>.
    /// </summary>
    /// <exception cref="SecretsException">
    /// <paramref name="reference"/> is not a <c>$NAME</c> reference, or NAME is found nowhere.
    /// </exception>
    public string ResolveReference(string? project, string reference)
    {
        // The message must not repeat the reference: what was given instead of one may be a plain password.
        if (!TryParseReference(reference, out var name))
            throw new SecretsException("password must be a $NAME reference (a secret key or an environment variable), not a literal value");
        if (TryResolve(project, name, out var value)) return value;
        return Environment.GetEnvironmentVariable(name) ?? throw NotFound(project, name, alsoEnvironment: true);
    }

    /// <summary>The keys defined in <paramref name="project"/>'s own section (<c>[global]</c> when null), ordinally sorted.</summary>
    public IReadOnlyList<string> Keys(string? project)
    {
        var current = Current;
        return Section(current, SecretsDocument.SectionOf(project)).Keys
            .Concat(current.Tables.TryGetValue(SecretsDocument.SectionOf(project), out var tables) ? tables.Keys : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyDictionary<string, string> Section(Snapshot snapshot, string name) =>
        snapshot.Sections.TryGetValue(name, out var section) ? section : NoSecrets;

    /// <summary>True when <paramref name="reference"/> is a <c>$NAME</c> or <c>${NAME}</c> reference; <paramref name="name"/> is NAME.</summary>
    internal static bool TryParseReference(string? reference, out string name)
    {
        name = "";
        if (reference is null || reference.Length < 2 || reference[0] != '$') return false;
        var body = reference.AsSpan(1);
        if (body[0] == '{')
        {
            if (body.Length < 3 || body[^1] != '}') return false;
            body = body[1..^1];
        }
        if (body.IsEmpty || body.ContainsAny(" \t\r\n${}")) return false;
        name = body.ToString();
        return true;
    }

    private SecretsException NotFound(string? project, string key, bool alsoEnvironment)
    {
        var section = SecretsDocument.SectionOf(project);
        var where = section == SecretsDocument.GlobalSection ? "[global]" : $"[{section}] or [global]";
        var environment = alsoEnvironment ? ", nor in the environment" : "";
        return Exists
            ? new SecretsException($"secret '{key}' not found in {where} of {Path}{environment}")
            : new SecretsException(
                $"secret '{key}' not found{environment}: secrets file {Path} does not exist; create it with 'pipekit secrets set {key}'");
    }

    /// <summary>What the file held when it was last read, and the stamp it had then.</summary>
    private sealed record Snapshot(bool Exists, FileStamp Stamp, long Version, string? Error,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> Tables)
    {
        public static Snapshot Parse(string path, string text, FileStamp stamp, long version)
        {
            var document = SecretsDocument.Parse(path, text);
            return new Snapshot(true, stamp, version, null, document.Sections, document.Tables);
        }

        public static Snapshot Empty(FileStamp stamp, long version) =>
            new(false, stamp, version, null, new Dictionary<string, IReadOnlyDictionary<string, string>>(),
                new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>());
    }

    /// <summary>The file's modification time and size; a missing file has its own stamp.</summary>
    private readonly record struct FileStamp(bool Exists, long WriteTicks, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(true, info.LastWriteTimeUtc.Ticks, info.Length) : default;
        }
    }
}
