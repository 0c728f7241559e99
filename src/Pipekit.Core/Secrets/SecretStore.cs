using System.Collections.Frozen;
using System.Text.Json;

namespace Pipekit.Core.Secrets;

/// <summary>
/// The secrets a Pipekit process may use, loaded once from a secrets file: Pit's TOML (<c>[global]</c> plus one
/// <c>[project]</c> section per DAG or module project) or a <c>KEY=VALUE</c> env file, read as <c>[global]</c>.
/// A key resolves in its project's section first, then in <c>[global]</c>.
/// </summary>
/// <remarks>There is no reload: edits made with <see cref="SecretsFile"/> take effect in the next process.</remarks>
public sealed class SecretStore
{
    private static readonly IReadOnlyDictionary<string, string> NoSecrets = FrozenDictionary<string, string>.Empty;

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _sections;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> _tables;

    private SecretStore(string path, bool exists, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> sections,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>? tables = null)
    {
        Path = path;
        Exists = exists;
        _sections = sections;
        _tables = tables ?? new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>();
    }

    /// <summary>The absolute path of the secrets file.</summary>
    public string Path { get; }

    /// <summary>Whether the file existed when the store was loaded.</summary>
    public bool Exists { get; }

    /// <summary>The project sections in the file (every section but <c>[global]</c>), ordinally sorted.</summary>
    public IReadOnlyList<string> Projects =>
        _sections.Keys.Concat(_tables.Keys).Where(name => name != SecretsDocument.GlobalSection).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Every secret value in the file, each once, for a <see cref="Redactor"/>.</summary>
    public IEnumerable<string> Values => _sections.Values.SelectMany(section => section.Values)
        .Concat(_tables.Values.SelectMany(secrets => secrets.Values).SelectMany(fields => fields.Values))
        .Distinct(StringComparer.Ordinal);

    /// <summary>Loads the secrets file at <paramref name="path"/>.</summary>
    /// <exception cref="SecretsException">The file is missing, unreadable, or not a valid secrets file (the message gives the line).</exception>
    public static async Task<SecretStore> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var text = await SecretsDocument.ReadTextAsync(fullPath, cancellationToken).ConfigureAwait(false)
            ?? throw SecretsException.FileNotFound(fullPath);
        var document = SecretsDocument.Parse(fullPath, text);
        return new SecretStore(fullPath, exists: true, document.Sections, document.Tables);
    }

    /// <summary>
    /// Loads the secrets file at <paramref name="path"/>, or returns an empty store that remembers the path when
    /// the file does not exist yet (so that <c>pipekit secrets set</c> can create it).
    /// </summary>
    /// <exception cref="SecretsException">The file exists but is unreadable or not a valid secrets file.</exception>
    public static async Task<SecretStore> LoadOrEmptyAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var text = await SecretsDocument.ReadTextAsync(fullPath, cancellationToken).ConfigureAwait(false);
        return text is null
            ? new SecretStore(fullPath, exists: false, new Dictionary<string, IReadOnlyDictionary<string, string>>())
            : FromDocument(fullPath, SecretsDocument.Parse(fullPath, text));
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
        foreach (var section in Scopes(project))
        {
            if (Section(section).TryGetValue(key, out var plain))
            {
                value = plain;
                return true;
            }
            if (Table(section, key) is { } fields)
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
        foreach (var section in Scopes(project))
        {
            // A plain secret of the name shadows a global table, as it would for get_secret.
            if (Section(section).ContainsKey(secret)) break;
            if (Table(section, secret) is { } fields)
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

    private IReadOnlyDictionary<string, string>? Table(string section, string secret) =>
        _tables.TryGetValue(section, out var secrets) && secrets.TryGetValue(secret, out var fields) ? fields : null;

    private static SecretStore FromDocument(string path, ISecretsDocument document) =>
        new(path, exists: true, document.Sections, document.Tables);

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
    public IReadOnlyList<string> Keys(string? project) =>
        Section(SecretsDocument.SectionOf(project)).Keys
            .Concat(_tables.TryGetValue(SecretsDocument.SectionOf(project), out var tables) ? tables.Keys : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private IReadOnlyDictionary<string, string> Section(string name) =>
        _sections.TryGetValue(name, out var section) ? section : NoSecrets;

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
}
