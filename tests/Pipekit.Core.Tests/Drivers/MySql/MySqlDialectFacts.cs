using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

public sealed class MySqlDialectFacts
{
    private readonly MySqlDialect _dialect = new();

    [Theory]
    [InlineData("DCORD#", "`DCORD#`")]
    [InlineData("order", "`order`")]
    [InlineData("we`ird", "`we``ird`")]
    [InlineData("``", "``````")]
    [InlineData("with space", "`with space`")]
    [InlineData("ünïcødé", "`ünïcødé`")]
    public void Identifiers_are_backtick_quoted_with_embedded_backticks_doubled(string identifier, string expected) =>
        Assert.Equal(expected, _dialect.QuoteIdentifier(identifier));

    [Fact]
    public void An_empty_identifier_is_refused() =>
        Assert.Throws<ArgumentException>(() => _dialect.QuoteIdentifier(""));

    [Theory]
    [InlineData("orders", null, "`orders`")]
    [InlineData("orders", "sales", "`sales`.`orders`")]
    [InlineData("my`table", "my`db", "`my``db`.`my``table`")]
    public void A_table_is_qualified_by_its_database(string table, string? schema, string expected) =>
        Assert.Equal(expected, _dialect.QualifyTable(new TableName(table, schema)));

    [Fact]
    public void A_database_qualifier_is_the_schema_too() =>
        Assert.Equal("`sales`.`orders`", _dialect.QualifyTable(new TableName("orders", Database: "sales")));

    [Fact]
    public void A_linked_server_is_refused_with_a_reason()
    {
        var e = Assert.Throws<DriverException>(() => _dialect.QualifyTable(new TableName("t", "s", "d", "remote")));
        Assert.Contains("linked server", e.Message);
    }

    [Fact]
    public void The_browse_form_asks_for_one_optional_database()
    {
        var field = Assert.Single(_dialect.BrowseFields);
        Assert.Equal("schema", field.Name);
        Assert.False(field.Required);
    }

    public static TheoryData<string, PortableType> NativeTypes => new()
    {
        { "tinyint(1)", new(PortableKind.Boolean) },
        { "boolean", new(PortableKind.Boolean) },
        { "bit(1)", new(PortableKind.Boolean) },
        { "bit(8)", new(PortableKind.Int64) },
        { "tinyint(4)", new(PortableKind.Int16) },
        { "tinyint(1) unsigned", new(PortableKind.Int16) },
        { "tinyint(3) unsigned", new(PortableKind.Int16) },
        { "smallint(6)", new(PortableKind.Int16) },
        { "smallint(5) unsigned", new(PortableKind.Int32) },
        { "mediumint(9)", new(PortableKind.Int32) },
        { "int(11)", new(PortableKind.Int32) },
        { "int", new(PortableKind.Int32) },
        { "int(10) unsigned", new(PortableKind.Int64) },
        { "int unsigned", new(PortableKind.Int64) },
        { "bigint(20)", new(PortableKind.Int64) },
        { "bigint(20) unsigned", new(PortableKind.Decimal, 20, 0) },
        { "year(4)", new(PortableKind.Int16) },
        { "decimal(15,4)", new(PortableKind.Decimal, 15, 4) },
        { "decimal(10,0) unsigned zerofill", new(PortableKind.Decimal, 10, 0) },
        { "float", new(PortableKind.Float32) },
        { "double", new(PortableKind.Float64) },
        { "char(36)", new(PortableKind.Text, Length: 36) },
        { "varchar(40)", new(PortableKind.Text, Length: 40) },
        { "tinytext", new(PortableKind.Text) },
        { "text", new(PortableKind.Text) },
        { "mediumtext", new(PortableKind.Text) },
        { "longtext", new(PortableKind.Text) },
        { "enum('a','b')", new(PortableKind.Text) },
        { "set('x','y')", new(PortableKind.Text) },
        { "json", new(PortableKind.Json) },
        { "uuid", new(PortableKind.Uuid) },
        { "date", new(PortableKind.Date) },
        { "time", new(PortableKind.Time) },
        { "time(6)", new(PortableKind.Time) },
        { "datetime", new(PortableKind.Timestamp) },
        { "datetime(6)", new(PortableKind.Timestamp) },
        { "timestamp", new(PortableKind.TimestampTz) },
        { "timestamp(6)", new(PortableKind.TimestampTz) },
        { "binary(16)", new(PortableKind.Binary) },
        { "varbinary(255)", new(PortableKind.Binary) },
        { "tinyblob", new(PortableKind.Binary) },
        { "blob", new(PortableKind.Binary) },
        { "mediumblob", new(PortableKind.Binary) },
        { "longblob", new(PortableKind.Binary) },
        { "VARCHAR(10)", new(PortableKind.Text, Length: 10) },
    };

    [Theory]
    [MemberData(nameof(NativeTypes))]
    public void Native_types_map_to_portable_types(string columnType, PortableType expected) =>
        Assert.Equal(expected, _dialect.ToPortable(new ColumnInfo("c", columnType)));

    [Fact]
    public void A_bare_decimal_takes_precision_and_scale_from_the_catalog_columns() =>
        Assert.Equal(new PortableType(PortableKind.Decimal, 12, 3), _dialect.ToPortable(new ColumnInfo("c", "decimal", Precision: 12, Scale: 3)));

    [Fact]
    public void A_bare_varchar_takes_its_length_from_the_catalog_column() =>
        Assert.Equal(new PortableType(PortableKind.Text, Length: 80), _dialect.ToPortable(new ColumnInfo("c", "varchar", Length: 80)));

    [Fact]
    public void An_unmappable_type_names_the_column_and_says_what_to_do()
    {
        var e = Assert.Throws<DriverException>(() => _dialect.ToPortable(new ColumnInfo("shape", "geometry")));
        Assert.Contains("'shape'", e.Message);
        Assert.Contains("'geometry'", e.Message);
        Assert.Contains("cast it in the source query", e.Message);
    }

    public static TheoryData<PortableType, string> Renderings => new()
    {
        { new(PortableKind.Boolean), "tinyint(1)" },
        { new(PortableKind.Int16), "smallint" },
        { new(PortableKind.Int32), "int" },
        { new(PortableKind.Int64), "bigint" },
        { new(PortableKind.Decimal, 15, 4), "decimal(15,4)" },
        { new(PortableKind.Decimal, 20, 0), "decimal(20,0)" },
        { new(PortableKind.Decimal), "decimal(65,30)" },
        { new(PortableKind.Decimal, 80, 40), "decimal(65,30)" },
        { new(PortableKind.Decimal, 5, 9), "decimal(5,5)" },
        { new(PortableKind.Float32), "float" },
        { new(PortableKind.Float64), "double" },
        { new(PortableKind.Text), "longtext" },
        { new(PortableKind.Text, Length: 40), "longtext" },
        { new(PortableKind.Date), "date" },
        { new(PortableKind.Time), "time(6)" },
        { new(PortableKind.Timestamp), "datetime(6)" },
        { new(PortableKind.TimestampTz), "datetime(6)" },
        { new(PortableKind.Uuid), "char(36)" },
        { new(PortableKind.Binary), "longblob" },
        { new(PortableKind.Json), "json" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Portable_types_render_as_MySQL_column_types(PortableType type, string expected) =>
        Assert.Equal(expected, _dialect.RenderType(type));

    [Theory]
    [InlineData("char(40)", "RTRIM(`DCNAME`)")]
    [InlineData("varchar(40)", "RTRIM(`DCNAME`)")]
    [InlineData("char", "RTRIM(`DCNAME`)")]
    [InlineData("text", "`DCNAME`")]
    [InlineData("int(11)", "`DCNAME`")]
    [InlineData("date", "`DCNAME`")]
    [InlineData("decimal(15,4)", "`DCNAME`")]
    public void Char_and_varchar_columns_default_to_RTRIM_and_others_to_the_bare_column(string type, string expected) =>
        Assert.Equal(expected, _dialect.DefaultExpression(new ColumnInfo("DCNAME", type)));

    [Fact]
    public void Multi_row_inserts_number_parameters_row_by_row() =>
        Assert.Equal(
            "INSERT INTO `db`.`t` (`a`, `b`) VALUES (@p0, @p1), (@p2, @p3), (@p4, @p5)",
            _dialect.InsertRows(new TableName("t", "db"), ["a", "b"], 3));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mysql")]
    [InlineData("MariaDB")]
    public void The_driver_speaks_the_mysql_dialect(string? name) =>
        Assert.Equal("mysql", new MySqlDriver().GetDialect(name).Name);

    [Fact]
    public void The_driver_refuses_another_dialect() =>
        Assert.Throws<DriverException>(() => new MySqlDriver().GetDialect("db2i"));

    [Fact]
    public void The_session_runs_in_UTC() =>
        Assert.Equal("SET time_zone = '+00:00'", MySqlDialect.SessionSetup);
}
