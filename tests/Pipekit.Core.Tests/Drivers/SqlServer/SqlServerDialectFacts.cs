using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

public sealed class SqlServerDialectFacts
{
    private readonly SqlServerDialect _dialect = new();

    [Theory]
    [InlineData("DCORD#", "[DCORD#]")]
    [InlineData("order", "[order]")]
    [InlineData("we]ird", "[we]]ird]")]
    [InlineData("[x]", "[[x]]]")]
    [InlineData("with space", "[with space]")]
    [InlineData("it's", "[it's]")]
    public void Identifiers_are_bracket_quoted_with_closing_brackets_doubled(string identifier, string expected) =>
        Assert.Equal(expected, _dialect.QuoteIdentifier(identifier));

    [Fact]
    public void An_empty_identifier_is_refused() =>
        Assert.Throws<ArgumentException>(() => _dialect.QuoteIdentifier(""));

    [Theory]
    [InlineData(null, null, null, "[orders]")]
    [InlineData(null, null, "sales", "[sales].[orders]")]
    [InlineData(null, "erp", null, "[erp].[dbo].[orders]")]
    [InlineData(null, "erp", "sales", "[erp].[sales].[orders]")]
    [InlineData("usmidsql01", "erp", null, "[usmidsql01].[erp].[dbo].[orders]")]
    [InlineData("usmidsql01", "erp", "sales", "[usmidsql01].[erp].[sales].[orders]")]
    [InlineData("usmidsql01", null, null, "[usmidsql01]..[dbo].[orders]")]
    [InlineData("usmidsql01", null, "sales", "[usmidsql01]..[sales].[orders]")]
    public void A_table_is_qualified_by_any_combination_of_linked_server_database_and_schema(string? linked, string? database, string? schema, string expected)
    {
        var qualified = _dialect.QualifyTable(new TableName("orders", schema, database, linked));
        Assert.Equal(expected, qualified);
        TSqlSyntax.AssertParses($"SELECT * FROM {qualified}");
    }

    [Fact]
    public void Qualifiers_come_from_the_browse_form_fields()
    {
        var qualifiers = new Dictionary<string, string?> { ["linked_server"] = "ls", ["database"] = "db", ["schema"] = " " };
        Assert.Equal("[ls].[db].[dbo].[t]", _dialect.QualifyTable(TableName.FromQualifiers("t", qualifiers)));
    }

    [Fact]
    public void The_browse_form_has_optional_linked_server_database_and_schema_defaulting_to_dbo() =>
        Assert.Equal(
            [new("linked_server", "Linked server", false), new("database", "Database", false), new("schema", "Schema", false, "dbo")],
            _dialect.BrowseFields);

    public static TheoryData<ColumnInfo, PortableType> NativeTypes => new()
    {
        { new("c", "bit"), new(PortableKind.Boolean) },
        { new("c", "tinyint"), new(PortableKind.Int16) },
        { new("c", "smallint"), new(PortableKind.Int16) },
        { new("c", "int"), new(PortableKind.Int32) },
        { new("c", "bigint"), new(PortableKind.Int64) },
        { new("c", "decimal", Precision: 15, Scale: 4), new(PortableKind.Decimal, 15, 4) },
        { new("c", "numeric", Precision: 18, Scale: 0), new(PortableKind.Decimal, 18, 0) },
        { new("c", "decimal(9,2)"), new(PortableKind.Decimal, 9, 2) },
        { new("c", "money", Precision: 19, Scale: 4), new(PortableKind.Decimal, 19, 4) },
        { new("c", "smallmoney"), new(PortableKind.Decimal, 10, 4) },
        { new("c", "real", Precision: 24), new(PortableKind.Float32) },
        { new("c", "float", Precision: 53), new(PortableKind.Float64) },
        { new("c", "float(24)"), new(PortableKind.Float32) },
        { new("c", "char", Length: 40), new(PortableKind.Text, Length: 40) },
        { new("c", "varchar", Length: 100), new(PortableKind.Text, Length: 100) },
        { new("c", "nchar", Length: 10), new(PortableKind.Text, Length: 10) },
        { new("c", "nvarchar", Length: null), new(PortableKind.Text) },
        { new("c", "nvarchar", Length: -1), new(PortableKind.Text) },
        { new("c", "nvarchar(max)"), new(PortableKind.Text) },
        { new("c", "varchar(20)"), new(PortableKind.Text, Length: 20) },
        { new("c", "text"), new(PortableKind.Text) },
        { new("c", "ntext"), new(PortableKind.Text) },
        { new("c", "xml"), new(PortableKind.Text) },
        { new("c", "date"), new(PortableKind.Date) },
        { new("c", "time"), new(PortableKind.Time) },
        { new("c", "datetime"), new(PortableKind.Timestamp) },
        { new("c", "datetime2"), new(PortableKind.Timestamp) },
        { new("c", "smalldatetime"), new(PortableKind.Timestamp) },
        { new("c", "datetimeoffset"), new(PortableKind.TimestampTz) },
        { new("c", "uniqueidentifier"), new(PortableKind.Uuid) },
        { new("c", "binary", Length: 16), new(PortableKind.Binary) },
        { new("c", "varbinary", Length: -1), new(PortableKind.Binary) },
        { new("c", "image"), new(PortableKind.Binary) },
        { new("c", "timestamp"), new(PortableKind.Binary) },
        { new("c", "json"), new(PortableKind.Json) },
        { new("c", "NVARCHAR", Length: 5), new(PortableKind.Text, Length: 5) },
    };

    [Theory]
    [MemberData(nameof(NativeTypes))]
    public void Native_types_map_to_portable_types(ColumnInfo column, PortableType expected) =>
        Assert.Equal(expected, _dialect.ToPortable(column));

    [Theory]
    [InlineData("sql_variant")]
    [InlineData("geography")]
    [InlineData("hierarchyid")]
    public void An_unmappable_type_names_the_column_and_says_what_to_do(string type)
    {
        var e = Assert.Throws<DriverException>(() => _dialect.ToPortable(new ColumnInfo("DCSHAPE", type)));
        Assert.Contains("'DCSHAPE'", e.Message);
        Assert.Contains(type, e.Message);
        Assert.Contains("cast it in the source query", e.Message);
    }

    public static TheoryData<PortableType, string> Renderings => new()
    {
        { new(PortableKind.Boolean), "bit" },
        { new(PortableKind.Int16), "smallint" },
        { new(PortableKind.Int32), "int" },
        { new(PortableKind.Int64), "bigint" },
        { new(PortableKind.Decimal, 15, 4), "decimal(15,4)" },
        { new(PortableKind.Decimal), "decimal(38,10)" },
        { new(PortableKind.Decimal, 50, 20), "decimal(38,20)" },
        { new(PortableKind.Decimal, 4, 6), "decimal(4,4)" },
        { new(PortableKind.Float32), "real" },
        { new(PortableKind.Float64), "float" },
        { new(PortableKind.Text), "nvarchar(max)" },
        { new(PortableKind.Text, Length: 40), "nvarchar(max)" },
        { new(PortableKind.Date), "date" },
        { new(PortableKind.Time), "time(7)" },
        { new(PortableKind.Timestamp), "datetime2(7)" },
        { new(PortableKind.TimestampTz), "datetimeoffset(7)" },
        { new(PortableKind.Uuid), "uniqueidentifier" },
        { new(PortableKind.Binary), "varbinary(max)" },
        { new(PortableKind.Json), "nvarchar(max)" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Portable_types_render_as_SQL_Server_column_types(PortableType type, string expected)
    {
        Assert.Equal(expected, _dialect.RenderType(type));
        TSqlSyntax.AssertParses($"CREATE TABLE t (c {expected} NULL)");
    }

    [Theory]
    [InlineData("char", "RTRIM([DCNAME])")]
    [InlineData("varchar", "RTRIM([DCNAME])")]
    [InlineData("nchar", "RTRIM([DCNAME])")]
    [InlineData("nvarchar", "RTRIM([DCNAME])")]
    [InlineData("nvarchar(max)", "RTRIM([DCNAME])")]
    [InlineData("text", "[DCNAME]")]
    [InlineData("int", "[DCNAME]")]
    [InlineData("datetime2", "[DCNAME]")]
    [InlineData("decimal", "[DCNAME]")]
    public void Character_columns_default_to_RTRIM_and_others_to_the_bare_column(string type, string expected) =>
        Assert.Equal(expected, _dialect.DefaultExpression(new ColumnInfo("DCNAME", type)));

    [Theory]
    [InlineData(null)]
    [InlineData("sqlserver")]
    [InlineData("MSSQL")]
    public void The_driver_speaks_the_sqlserver_dialect(string? name) =>
        Assert.Equal("sqlserver", new SqlServerDriver().GetDialect(name).Name);

    [Fact]
    public void The_driver_refuses_another_dialect() =>
        Assert.Throws<DriverException>(() => new SqlServerDriver().GetDialect("mysql"));
}
