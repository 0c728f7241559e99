using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Pipekit.Chains.Planning;

namespace Pipekit.Chains.Hashing;

/// <summary>
/// The state hashes of a chain (docs/chains.md): <c>S0 = SHA-256(scheme, engine, server version, extensions,
/// settings)</c> and <c>S(i) = SHA-256(S(i-1), len-prefixed path, len-prefixed content)</c>. Every variable-length
/// field is prefixed by its UTF-8 byte length (8 bytes, big-endian) and every list by its count, so no two different
/// inputs share an encoding. The state after step i depends only on what came before it: branches share prefixes.
/// </summary>
public static class StateHash
{
    /// <summary>Bumped whenever the encoding below changes, so old layers can never be mistaken for new ones.</summary>
    public const string SchemeVersion = "pipekit-chains/1";

    public static string Root(EngineFingerprint fingerprint)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendString(hash, SchemeVersion);
        AppendString(hash, fingerprint.Engine);
        AppendString(hash, fingerprint.ServerVersion);
        AppendMap(hash, fingerprint.Extensions);
        AppendMap(hash, fingerprint.Settings);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Next(string previous, string path, string content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Convert.FromHexString(previous));
        AppendString(hash, path);
        AppendString(hash, content);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The state after each step: element i is S(i+1), the state once step i has run.</summary>
    public static IReadOnlyList<string> States(string root, IEnumerable<ChainStep> steps)
    {
        var states = new List<string>();
        var current = root;
        foreach (var step in steps)
        {
            current = Next(current, step.Path, step.Content);
            states.Add(current);
        }
        return states;
    }

    /// <summary>SHA-256 of one file's content, recorded with a layer so a later miss can tell an edit from a move.</summary>
    public static string Content(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static void AppendMap(IncrementalHash hash, IReadOnlyDictionary<string, string> map)
    {
        AppendLength(hash, map.Count);
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            AppendString(hash, key);
            AppendString(hash, value);
        }
    }

    private static void AppendString(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendLength(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendLength(IncrementalHash hash, long length)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(prefix, length);
        hash.AppendData(prefix);
    }
}
