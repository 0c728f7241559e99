using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Pipekit.Core.State;

/// <summary>
/// The SHA-256 of each embedded migration, as computed when its assembly was built (<c>src/Directory.Build.targets</c>
/// writes the resource <see cref="ResourceName"/>, one <c>checksum logical-name</c> line per <c>.sql</c> resource).
/// Every command checks the store's schema, so hashing the migrations there would load OpenSSL (libssl, libcrypto,
/// openssl.cnf) at every start, about 20 ms of a short <c>pipekit run</c>.
/// </summary>
/// <remarks>
/// The build hashes the file's bytes, while a checksum is defined over the text with <c>\n</c> line endings in UTF-8
/// (what stores have recorded all along). The two agree only when the bytes are exactly that text, so a built checksum
/// is used only after that comparison (cheap: no hashing); a file with a byte-order mark or CRLF line endings is hashed
/// here instead, and its checksum is still the one the store holds. An edited migration has a new built checksum,
/// and one edited in memory (<c>with { Sql = … }</c>) is hashed, so an applied migration that changed is still refused.
/// </remarks>
internal sealed class MigrationChecksums
{
    public const string ResourceName = "Pipekit.MigrationChecksums.sha256";

    private readonly Dictionary<string, string> _byResource;

    private MigrationChecksums(Dictionary<string, string> byResource) => _byResource = byResource;

    /// <summary>The checksums built into <paramref name="assembly"/>; none when it carries no checksum resource.</summary>
    public static MigrationChecksums Of(Assembly assembly)
    {
        var byResource = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return new MigrationChecksums(byResource);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ');
            if (space == 64) byResource[line[(space + 1)..]] = line[..space];
        }
        return new MigrationChecksums(byResource);
    }

    /// <summary>Reads the resource <paramref name="resource"/>: its text, and its checksum when it was built and is the text's.</summary>
    public EmbeddedSql Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource {resource} is missing from {assembly.GetName().Name}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false));
        var sql = reader.ReadToEnd();
        var built = _byResource.GetValueOrDefault(resource);
        return new EmbeddedSql(sql, built is not null && Canonical(sql).AsSpan().SequenceEqual(bytes) ? built : null);
    }

    /// <summary>An embedded step's text, and its built checksum, or null to hash the text when the checksum is asked for.</summary>
    public sealed record EmbeddedSql(string Sql, string? Checksum);

    /// <summary>The checksum of <paramref name="sql"/>, computed: SHA-256 of its UTF-8 text with <c>\n</c> line endings, lower-case hex.</summary>
    public static string Compute(string sql) => Convert.ToHexStringLower(SHA256.HashData(Canonical(sql)));

    private static byte[] Canonical(string sql) => Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"));
}
