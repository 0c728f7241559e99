namespace Pipekit.Core.Secrets;

// A parsed secrets file that can produce an edited copy of its own text. Edits splice the original text, so
// comments, blank lines, quoting style and key order outside the edited entry survive byte for byte.
internal interface ISecretsDocument
{
    // Section name → key → value. The global section is GlobalSection.
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; }

    // Section name → secret name → field → value, for secrets written as TOML tables ([project.secret] or an
    // inline table). Env files have none.
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> Tables =>
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>();

    // The whole file text with key in section set to value.
    string WithSecret(string section, string key, string value);

    // The whole file text without key in section, or null when it is absent.
    string? WithoutSecret(string section, string key);
}
