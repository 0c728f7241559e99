using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;
using Xunit;

namespace Pipekit.Sync.Tests.Modules;

/// <summary>
/// The names and types of a module, as <see cref="ModuleValidator"/> checks them for the API, the CLI and module files
/// alike: a name is anchored at both ends, and a table, column or type carries no SQL into generated statements.
/// </summary>
public sealed class ModuleValidatorFacts
{
    private static readonly HashSet<long> Connections = [1, 2];

    private static readonly Module Good = new()
    {
        Name = "orders", SourceConnectionId = 1, DestConnectionId = 2, DestTable = "warehouse.orders", SourceQuery = "SELECT id FROM orders",
        MergeStrategy = MergeStrategy.Incremental, MergeKey = "id", Columns = [new("id", "integer", "id", "integer")],
    };

    [Fact]
    public void A_good_module_passes() => ModuleValidator.Validate(Good, Connections, ColumnTypeGrammar.Postgres);

    [Theory]
    [InlineData("abc\n")]
    [InlineData("abc\r\n")]
    [InlineData("\nabc")]
    [InlineData("a\"b")]
    [InlineData("../x")]
    [InlineData("")]
    public void A_name_is_anchored_at_both_ends(string name) => Refused(Good with { Name = name }, "name");

    [Theory]
    [InlineData("x; DROP TABLE y")]
    [InlineData("a\"b")]
    [InlineData("t -- x")]
    [InlineData("t) x")]
    [InlineData("t\nx")]
    [InlineData("a..b")]
    [InlineData("\"unclosed.t")]
    [InlineData("s.t`x")]
    public void A_destination_table_with_sql_in_it_is_refused(string table) => Refused(Good with { DestTable = table }, "dest_table");

    [Theory]
    [InlineData("dbo.\"Order Details\"")]
    [InlineData("LIB.DCORD#")]
    [InlineData("\"my.schema\".orders")]
    public void A_destination_table_a_database_allows_is_kept(string table) => ModuleValidator.Validate(Good with { DestTable = table }, Connections);

    [Theory]
    [InlineData("a\"b")]
    [InlineData("x; DROP TABLE y")]
    [InlineData("x\n")]
    [InlineData("a`b")]
    [InlineData("a]b")]
    public void A_column_name_with_sql_in_it_is_refused(string column) =>
        Refused(Good with { MergeKey = null, MergeStrategy = MergeStrategy.Full, Columns = [new("id", null, column, "integer")] }, "columns");

    [Theory]
    [InlineData("BIGINT); CREATE TABLE x (z int")]
    [InlineData("int DEFAULT 1")]
    [InlineData("integer; DROP TABLE y")]
    public void A_column_type_with_sql_in_it_is_refused_for_any_engine(string type)
    {
        var module = Good with { Columns = [new("id", null, "id", type)] };
        Refused(module, "columns");
        var ex = Assert.Throws<ValidationException>(() => ModuleValidator.Validate(module, Connections));
        Assert.Contains("dest_type of 'id'", ex.Errors["columns"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_type_is_checked_against_the_destination_engine()
    {
        var arrays = Good with { Columns = [new("id", null, "id", "integer[]")] };
        ModuleValidator.Validate(arrays, Connections, ColumnTypeGrammar.Postgres);
        var ex = Assert.Throws<ValidationException>(() => ModuleValidator.Validate(arrays, Connections, ColumnTypeGrammar.SqlServer));
        Assert.Contains("in SQL Server", ex.Errors["columns"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_key_without_declared_columns_is_still_a_name() =>
        Refused(Good with { Columns = [], MergeKey = "id) ; DROP TABLE y; --" }, "merge_key");

    private static void Refused(Module module, string field)
    {
        var ex = Assert.Throws<ValidationException>(() => ModuleValidator.Validate(module, Connections, ColumnTypeGrammar.Postgres));
        Assert.Contains(field, ex.Errors.Keys);
    }
}
