using System.Text;

namespace Pipekit.Core.Secrets;

// Reads a secrets file's text and picks the parser for its format.
internal static class SecretsDocument
{
    public const string GlobalSection = "global";

    // Strict, so that a Latin-1 file is refused instead of read with U+FFFD in place of its bytes, which an
    // edit would then write back as a different value. A byte order mark is still recognised and skipped.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The section a project's secrets live in: null, empty and "global" all mean [global].
    public static string SectionOf(string? project) =>
        string.IsNullOrEmpty(project) ? GlobalSection : project;

    public static ISecretsDocument Parse(string path, string text) =>
        DetectFormat(path, text) == SecretsFormat.Env
            ? EnvSecretsDocument.Parse(path, text)
            : TomlSecretsDocument.Parse(path, text);

    // The extension decides when it is .toml or .env. Otherwise the content does, and the rule has to
    // settle KEY="value", which is valid in both formats: a file is TOML when any line is a [section]
    // header or has whitespace around its first = (key = "value", how TOML is written); a file whose
    // assignments are all tight KEY=VALUE (optionally after export) is an env file, which is how
    // systemd's EnvironmentFile= and shell .env files are written. A file with no assignments at all
    // is TOML, the native format. For plain values both readings agree; they differ only in backslash escapes,
    // where an env file keeps shell semantics. Name the file .toml to force TOML.
    public static SecretsFormat DetectFormat(string path, string text)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".toml", StringComparison.OrdinalIgnoreCase)) return SecretsFormat.Toml;
        if (extension.Equals(".env", StringComparison.OrdinalIgnoreCase)) return SecretsFormat.Env;

        var sawAssignment = false;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.IsEmpty || line[0] == '#' || line[0] == ';') continue;
            if (line[0] == '[') return SecretsFormat.Toml;
            if (EnvSecretsDocument.StartsWithExport(line))
            {
                sawAssignment = true;
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0) continue;
            if (char.IsWhiteSpace(line[equals - 1]) || (equals + 1 < line.Length && char.IsWhiteSpace(line[equals + 1])))
                return SecretsFormat.Toml;
            sawAssignment = true;
        }
        return sawAssignment ? SecretsFormat.Env : SecretsFormat.Toml;
    }

    // The file's text, or null when it does not exist.
    public static async Task<string?> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, StrictUtf8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return Missing(ex, path);
        }
    }

    // The same, synchronously: for the reload a redaction triggers, which happens inside synchronous code (a log line,
    // a JSON string being written) and must finish before the text it masks goes anywhere.
    public static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path, StrictUtf8);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return Missing(ex, path);
        }
    }

    private static bool IsReadFailure(Exception ex) => ex is IOException or DecoderFallbackException or UnauthorizedAccessException;

    // Null for a file that does not exist; every other failure as a SecretsException that names the path, never content.
    private static string? Missing(Exception ex, string path) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => null,
        DecoderFallbackException => throw new SecretsException($"secrets file {path} is not valid UTF-8; convert it, for example with iconv -t UTF-8"),
        UnauthorizedAccessException when Directory.Exists(path) => throw new SecretsException($"secrets path {path} is a directory; give the path of a file"),
        UnauthorizedAccessException => throw new SecretsException($"secrets file {path} is not readable by this user; check its owner and mode"),
        // The runtime's I/O messages name the path and the OS error, never file content.
        _ => throw new SecretsException($"cannot read secrets file {path}: {ex.Message}", ex),
    };

    // The offset just past the line break that ends the line holding offset.
    public static int LineEnd(string text, int offset)
    {
        var newline = text.IndexOf('\n', offset);
        return newline < 0 ? text.Length : newline + 1;
    }

    // The offset of the first character of the line holding offset.
    public static int LineStart(string text, int offset) =>
        offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;

    // The line break the file already uses, so an edit does not mix styles.
    public static string NewLineOf(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
}
