using System.Security.Cryptography;
using System.Text;

namespace Pipekit.Core.State;

/// <summary>One numbered schema step of a part (<c>sync/0001_sync.sql</c>) and the SHA-256 of its text.</summary>
public sealed record Migration(string Part, int Version, string Name, string Sql)
{
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    public string FileName => $"{Part}/{Version:D4}_{Name}.sql";
}
