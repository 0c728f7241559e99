using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Db2i;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Db2i;

public sealed class Db2iDialectFacts
{
    private readonly Db2iDialect _dialect = new();

    [Theory]
    [InlineData("DCORD#", "\"DCORD#\"")]
    [InlineData("amount", "\"amount\"")]
    [InlineData("SAY \"HI\"", "\"SAY \"\"HI\"\"\"")]
    public void QuoteIdentifier_double_quotes_and_doubles_embedded_quotes(string name, string expected) =>
        Assert.Equal(expected, _dialect.QuoteIdentifier(name));

    [Fact]
    public void QualifyTable_quotes_schema_and_table() =>
        Assert.Equal("\"S7830956\".\"QCRH\"", _dialect.QualifyTable(new TableName("QCRH", "S7830956")));

    [Fact]
    public void QualifyTable_without_a_schema_leaves_the_table_to_the_library_list() =>
        Assert.Equal("\"QCRH\"", _dialect.QualifyTable(new TableName("QCRH")));

    [Fact]
    public void QualifyTable_rejects_a_database_qualifier() =>
        Assert.Throws<DriverException>(() => _dialect.QualifyTable(new TableName("T", "S", "DB")));

    [Fact]
    public void The_browse_form_asks_for_a_required_schema()
    {
        var field = Assert.Single(_dialect.BrowseFields);
        Assert.Equal("schema", field.Name);
        Assert.True(field.Required);
    }

    [Fact]
    public void The_ping_reads_the_one_row_dummy_table() =>
        Assert.Equal("SELECT 1 FROM SYSIBM.SYSDUMMY1", Db2iDialect.PingSql);

    public static TheoryData<ColumnInfo, PortableType> PortableTypes => new()
    {
        { new ColumnInfo("A", "SMALLINT"), new PortableType(PortableKind.Int16) },
        { new ColumnInfo("A", "INTEGER"), new PortableType(PortableKind.Int32) },
        { new ColumnInfo("A", "INT"), new PortableType(PortableKind.Int32) },
        { new ColumnInfo("A", "BIGINT"), new PortableType(PortableKind.Int64) },
        { new ColumnInfo("A", "DECIMAL(15,4)"), new PortableType(PortableKind.Decimal, 15, 4) },
        { new ColumnInfo("A", "NUMERIC(9, 0)"), new PortableType(PortableKind.Decimal, 9, 0) },
        { new ColumnInfo("A", "DECIMAL", Precision: 11, Scale: 2), new PortableType(PortableKind.Decimal, 11, 2) },
        { new ColumnInfo("A", "DECFLOAT"), new PortableType(PortableKind.Decimal) },
        { new ColumnInfo("A", "REAL"), new PortableType(PortableKind.Float32) },
        { new ColumnInfo("A", "DOUBLE"), new PortableType(PortableKind.Float64) },
        { new ColumnInfo("A", "FLOAT"), new PortableType(PortableKind.Float64) },
        { new ColumnInfo("A", "FLOAT", Length: 4), new PortableType(PortableKind.Float32) },
        { new ColumnInfo("A", "FLOAT(53)"), new PortableType(PortableKind.Float64) },
        { new ColumnInfo("A", "CHAR(40)"), new PortableType(PortableKind.Text, Length: 40) },
        { new ColumnInfo("A", "CHARACTER", Length: 3), new PortableType(PortableKind.Text, Length: 3) },
        { new ColumnInfo("A", "VARCHAR(100)"), new PortableType(PortableKind.Text, Length: 100) },
        { new ColumnInfo("A", "GRAPHIC(10)"), new PortableType(PortableKind.Text, Length: 10) },
        { new ColumnInfo("A", "VARGRAPHIC(20) CCSID 1200"), new PortableType(PortableKind.Text, Length: 20) },
        { new ColumnInfo("A", "VARG", Length: 20), new PortableType(PortableKind.Text, Length: 20) },
        { new ColumnInfo("A", "CLOB(1M)"), new PortableType(PortableKind.Text, Length: 1048576) },
        { new ColumnInfo("A", "DATE"), new PortableType(PortableKind.Date) },
        { new ColumnInfo("A", "TIME"), new PortableType(PortableKind.Time) },
        { new ColumnInfo("A", "TIMESTAMP"), new PortableType(PortableKind.Timestamp) },
        { new ColumnInfo("A", "TIMESTMP"), new PortableType(PortableKind.Timestamp) },
        { new ColumnInfo("A", "BINARY(16)"), new PortableType(PortableKind.Binary, Length: 16) },
        { new ColumnInfo("A", "VARBINARY(200)"), new PortableType(PortableKind.Binary, Length: 200) },
        { new ColumnInfo("A", "VARBIN", Length: 200), new PortableType(PortableKind.Binary, Length: 200) },
        { new ColumnInfo("A", "BLOB(2G)"), new PortableType(PortableKind.Binary, Length: int.MaxValue) },
        { new ColumnInfo("A", "CHAR(8) FOR BIT DATA"), new PortableType(PortableKind.Binary, Length: 8) },
        { new ColumnInfo("A", "ROWID"), new PortableType(PortableKind.Binary, Length: 40) },
        { new ColumnInfo("A", "boolean"), new PortableType(PortableKind.Boolean) },
    };

    [Theory]
    [MemberData(nameof(PortableTypes))]
    public void ToPortable_reads_db2_types(ColumnInfo column, PortableType expected) =>
        Assert.Equal(expected, _dialect.ToPortable(column));

    [Fact]
    public void ToPortable_names_the_column_of_an_unknown_type()
    {
        var error = Assert.Throws<DriverException>(() => _dialect.ToPortable(new ColumnInfo("DCGEO", "ST_POINT")));
        Assert.Contains("\"DCGEO\"", error.Message);
        Assert.Contains("ST_POINT", error.Message);
    }

    public static TheoryData<PortableType, string> RenderedTypes => new()
    {
        { new PortableType(PortableKind.Boolean), "BOOLEAN" },
        { new PortableType(PortableKind.Int16), "SMALLINT" },
        { new PortableType(PortableKind.Int32), "INTEGER" },
        { new PortableType(PortableKind.Int64), "BIGINT" },
        { new PortableType(PortableKind.Decimal, 15, 4), "DECIMAL(15,4)" },
        { new PortableType(PortableKind.Decimal, 80, 2), "DECIMAL(63,2)" },
        { new PortableType(PortableKind.Decimal), "DECFLOAT(34)" },
        { new PortableType(PortableKind.Float32), "REAL" },
        { new PortableType(PortableKind.Float64), "DOUBLE" },
        { new PortableType(PortableKind.Text, Length: 40), "NVARCHAR(40)" },
        { new PortableType(PortableKind.Text), "NCLOB(1073741823)" },
        { new PortableType(PortableKind.Text, Length: 100_000), "NCLOB(1073741823)" },
        { new PortableType(PortableKind.Json), "NCLOB(1073741823)" },
        { new PortableType(PortableKind.Date), "DATE" },
        { new PortableType(PortableKind.Time), "TIME" },
        { new PortableType(PortableKind.Timestamp), "TIMESTAMP" },
        { new PortableType(PortableKind.TimestampTz), "TIMESTAMP" },
        { new PortableType(PortableKind.Uuid), "CHAR(36)" },
        { new PortableType(PortableKind.Binary, Length: 16), "VARBINARY(16)" },
        { new PortableType(PortableKind.Binary), "BLOB(2147483647)" },
    };

    [Theory]
    [MemberData(nameof(RenderedTypes))]
    public void RenderType_writes_db2_for_i_column_types(PortableType type, string expected) =>
        Assert.Equal(expected, _dialect.RenderType(type));

    [Theory]
    [InlineData("DCNAME", "CHAR(40)", "RTRIM(\"DCNAME\")")]
    [InlineData("DCNAME", "CHAR", "RTRIM(\"DCNAME\")")]
    [InlineData("DCDESC", "VARCHAR(100)", "RTRIM(\"DCDESC\")")]
    [InlineData("DCKANJI", "GRAPHIC(10)", "RTRIM(\"DCKANJI\")")]
    [InlineData("DCKANJI", "VARGRAPHIC(10)", "RTRIM(\"DCKANJI\")")]
    [InlineData("DCDATE", "DATE", "CASE WHEN \"DCDATE\" IN ('0001-01-01','9999-12-31') THEN NULL ELSE \"DCDATE\" END")]
    [InlineData("DCORD#", "DECIMAL(7,0)", "\"DCORD#\"")]
    [InlineData("DCTS", "TIMESTAMP", "\"DCTS\"")]
    [InlineData("DCKEY", "CHAR(8) FOR BIT DATA", "\"DCKEY\"")]
    [InlineData("DCNOTE", "CLOB(1M)", "\"DCNOTE\"")]
    public void DefaultExpression_follows_the_wizard_defaults(string name, string type, string expected) =>
        Assert.Equal(expected, _dialect.DefaultExpression(new ColumnInfo(name, type)));
}
