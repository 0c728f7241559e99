using System.Security.Cryptography;
using System.Text;

namespace Pipekit.Core.State;

/// <summary>One numbered schema step (<c>0001_settings.sql</c>) and the SHA-256 of its text.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    public string FileName => $"{Version:D4}_{Name}.sql";
}
