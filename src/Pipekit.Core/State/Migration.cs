namespace Pipekit.Core.State;

/// <summary>One numbered schema step of a part (<c>sync/0001_sync.sql</c>) and the SHA-256 of its text.</summary>
public sealed record Migration(string Part, int Version, string Name, string Sql)
{
    private readonly string _sql = Sql;
    private readonly string? _builtChecksum;

    /// <summary>An embedded step whose checksum was computed when its assembly was built (<see cref="MigrationChecksums"/>).</summary>
    internal Migration(string part, int version, string name, string sql, string? builtChecksum)
        : this(part, version, name, sql) => _builtChecksum = builtChecksum;

    /// <summary>The step's SQL. Setting it (<c>with { Sql = … }</c>) drops a built checksum, so the new text is hashed.</summary>
    public string Sql
    {
        get => _sql;
        init
        {
            _sql = value;
            _builtChecksum = null;
        }
    }

    /// <summary>SHA-256 of the text with <c>\n</c> line endings, lower-case hex: the value <c>schema_version</c> records.</summary>
    public string Checksum => _builtChecksum ?? MigrationChecksums.Compute(_sql);

    /// <summary>True when <see cref="Checksum"/> comes from the build, not from hashing at run time.</summary>
    internal bool HasBuiltChecksum => _builtChecksum is not null;

    public string FileName => $"{Part}/{Version:D4}_{Name}.sql";
}
