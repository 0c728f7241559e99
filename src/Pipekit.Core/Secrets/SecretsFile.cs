namespace Pipekit.Core.Secrets;

/// <summary>
/// Edits a secrets file in place, as <c>pipekit secrets set|unset</c> does. Only the edited entry's text changes:
/// comments, blank lines and the order of the other keys survive.
/// </summary>
/// <remarks>
/// Every write is atomic (a temp file in the same directory, fsynced, then renamed over the file). A new file is
/// created with mode 0600; an existing file keeps its mode and owner, so a service install's 0640 root:pipekit file
/// stays readable by the service after an edit made as root. A symlink is followed and its target is rewritten.
/// A file that does not parse is never rewritten. Edits of one file from several processes at once take turns
/// (<see cref="SecretsEditLock"/>), so none is lost.
/// </remarks>
public static class SecretsFile
{
    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/> in <paramref name="project"/>'s section
    /// (<c>[global]</c> when null), adding the section at the end of the file and creating the file when needed.
    /// </summary>
    /// <exception cref="SecretsException">
    /// The file is invalid, the key is empty, the value is not valid Unicode, or the file is an env file and a
    /// project section (or a value it cannot hold) was asked for.
    /// </exception>
    public static async Task SetAsync(string path, string? project, string key, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var displayPath = Path.GetFullPath(path);
        if (key.Length == 0) throw new SecretsException($"a secret key must not be empty ({displayPath})");
        if (!TomlEncoding.IsWellFormed(value))
            throw new SecretsException($"secret '{key}' is not valid Unicode (it holds an unpaired surrogate), so {displayPath} cannot store it");

        var target = AtomicFileWriter.ResolveTarget(displayPath);
        using var editing = await SecretsEditLock.AcquireAsync(target, displayPath, cancellationToken).ConfigureAwait(false);
        var text = await SecretsDocument.ReadTextAsync(target, cancellationToken).ConfigureAwait(false);
        // A new file's format comes from its name alone: .env is an env file, anything else TOML.
        var document = SecretsDocument.Parse(displayPath, text ?? "");
        var updated = document.WithSecret(SecretsDocument.SectionOf(project), key, value);
        if (text is not null && updated == text) return;
        await AtomicFileWriter.WriteAsync(target, displayPath, updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes <paramref name="key"/> from <paramref name="project"/>'s section (<c>[global]</c> when null).
    /// Only that section is touched: a project key of the same name in <c>[global]</c> stays.
    /// </summary>
    /// <returns>False, with the file untouched, when the file or the key does not exist.</returns>
    /// <exception cref="SecretsException">The file is invalid or cannot be written.</exception>
    public static async Task<bool> UnsetAsync(string path, string? project, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var displayPath = Path.GetFullPath(path);
        var target = AtomicFileWriter.ResolveTarget(displayPath);
        if (!File.Exists(target)) return false;
        using var editing = await SecretsEditLock.AcquireAsync(target, displayPath, cancellationToken).ConfigureAwait(false);
        var text = await SecretsDocument.ReadTextAsync(target, cancellationToken).ConfigureAwait(false);
        if (text is null) return false;
        var updated = SecretsDocument.Parse(displayPath, text).WithoutSecret(SecretsDocument.SectionOf(project), key);
        if (updated is null) return false;
        await AtomicFileWriter.WriteAsync(target, displayPath, updated, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
