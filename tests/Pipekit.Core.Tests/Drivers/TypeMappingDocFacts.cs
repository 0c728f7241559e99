using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.TypeMappings;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

/// <summary>
/// docs/drivers.md's type mapping tables are what the drivers' mapping code produces, pair by pair; SQL Server and
/// MySQL, whose servers cannot run here, are checked as text row by row.
/// </summary>
public sealed class TypeMappingDocFacts
{
    /// <summary>Set to 1 to rewrite docs/drivers.md's generated section from the code instead of comparing it.</summary>
    public const string RegenerateVariable = "PIPEKIT_REGENERATE_DOCS";

    private static readonly string Generated = TypeMappingTables.Render(DriverRegistry.CreateDefault());

    [Fact]
    public void The_mapping_tables_in_the_drivers_doc_are_the_ones_the_code_generates()
    {
        var path = Path.Combine(RepoRoot(), "docs", "drivers.md");
        var doc = File.ReadAllText(path);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            File.WriteAllText(path, TypeMappingTables.Replace(doc, Generated));
            return;
        }

        var documented = TypeMappingTables.Extract(doc);
        Assert.True(documented is not null, $"{path} has no '{TypeMappingTables.Begin}' … '{TypeMappingTables.End}' section");
        Assert.True(documented == Generated,
            $"docs/drivers.md's type mapping tables differ from the drivers' code; regenerate them with " +
            $"{RegenerateVariable}=1 dotnet test tests/Pipekit.Core.Tests --filter FullyQualifiedName~TypeMappingDocFacts, then review the diff");
    }

    [Theory]
    [InlineData("| `numeric(38,10)` | `decimal(38,10)` | `numeric(38,10)` | `DECIMAL(38,10)` | `TEXT` | `decimal(38,10)` | `decimal(38,10)` | `DECIMAL(38,10)` |")]
    [InlineData("| `uuid` | `uuid` | `uuid` | `UUID` | `UUID` | `char(36)` | `uniqueidentifier` | `CHAR(36)` |")]
    [InlineData("| `timestamp with time zone` | `timestamptz` | `timestamptz` | `TIMESTAMPTZ` | `TIMESTAMPTZ` | `datetime(6)` | `datetimeoffset(7)` | `TIMESTAMP` |")]
    [InlineData("| `time without time zone` | `time` | `time` | `TIME` | `TIME` | `time(6)` | `time(7)` | `TIME` |")]
    [InlineData("| `jsonb` | `json` | `jsonb` | `JSON` | `JSON` | `json` | `nvarchar(max)` | `NCLOB(1073741823)` |")]
    [InlineData("| `text` | `text` | `text` | `VARCHAR` | `TEXT` | `longtext` | `nvarchar(max)` | `NCLOB(1073741823)` |")]
    public void Postgres_columns_map_into_sql_server_and_mysql_as_text(string row) => AssertRow(row);

    [Theory]
    [InlineData("| `bit` | `boolean` | `boolean` | `BOOLEAN` | `BOOLEAN` | `tinyint(1)` | `bit` | `BOOLEAN` |")]
    [InlineData("| `decimal(38,10)` | `decimal(38,10)` | `numeric(38,10)` | `DECIMAL(38,10)` | `TEXT` | `decimal(38,10)` | `decimal(38,10)` | `DECIMAL(38,10)` |")]
    [InlineData("| `money` | `decimal(19,4)` | `numeric(19,4)` | `DECIMAL(19,4)` | `TEXT` | `decimal(19,4)` | `decimal(19,4)` | `DECIMAL(19,4)` |")]
    [InlineData("| `datetimeoffset(7)` | `timestamptz` | `timestamptz` | `TIMESTAMPTZ` | `TIMESTAMPTZ` | `datetime(6)` | `datetimeoffset(7)` | `TIMESTAMP` |")]
    [InlineData("| `uniqueidentifier` | `uuid` | `uuid` | `UUID` | `UUID` | `char(36)` | `uniqueidentifier` | `CHAR(36)` |")]
    [InlineData("| `varbinary(max)` | `binary` | `bytea` | `BLOB` | `BLOB` | `longblob` | `varbinary(max)` | `BLOB(2147483647)` |")]
    public void Sql_server_columns_map_to_every_engine_as_text(string row) => AssertSection("From SQL Server", row);

    [Theory]
    [InlineData("| `tinyint(1)` | `boolean` | `boolean` | `BOOLEAN` | `BOOLEAN` | `tinyint(1)` | `bit` | `BOOLEAN` |")]
    [InlineData("| `bigint unsigned` | `decimal(20,0)` | `numeric(20,0)` | `DECIMAL(20,0)` | `TEXT` | `decimal(20,0)` | `decimal(20,0)` | `DECIMAL(20,0)` |")]
    [InlineData("| `decimal(38,10)` | `decimal(38,10)` | `numeric(38,10)` | `DECIMAL(38,10)` | `TEXT` | `decimal(38,10)` | `decimal(38,10)` | `DECIMAL(38,10)` |")]
    [InlineData("| `datetime(6)` | `timestamp` | `timestamp` | `TIMESTAMP` | `DATETIME` | `datetime(6)` | `datetime2(7)` | `TIMESTAMP` |")]
    [InlineData("| `timestamp(6)` | `timestamptz` | `timestamptz` | `TIMESTAMPTZ` | `TIMESTAMPTZ` | `datetime(6)` | `datetimeoffset(7)` | `TIMESTAMP` |")]
    [InlineData("| `json` | `json` | `jsonb` | `JSON` | `JSON` | `json` | `nvarchar(max)` | `NCLOB(1073741823)` |")]
    public void Mysql_columns_map_to_every_engine_as_text(string row) => AssertSection("From MySQL / MariaDB", row);

    private static void AssertSection(string heading, string row)
    {
        var start = Generated.IndexOf("#### " + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the generated tables have no section '{heading}'");
        var next = Generated.IndexOf("\n#### ", start + 1, StringComparison.Ordinal);
        var section = next < 0 ? Generated[start..] : Generated[start..next];
        Assert.True(section.Contains(row + "\n", StringComparison.Ordinal), $"section '{heading}' has no row\n{row}\n\n{section}");
    }

    private static void AssertRow(string row) => AssertSection("From PostgreSQL", row);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipekit.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Pipekit.slnx not found above " + AppContext.BaseDirectory);
    }
}
