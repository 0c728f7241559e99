using Pipekit.Core.Validation;
using Pipekit.Sync.Columns;
using Xunit;

namespace Pipekit.Sync.Tests.Columns;

public sealed class SelectListEditorFacts
{
    // Every shape the column editor must read: splicing back the list as parsed changes not one byte.
    public static TheoryData<string> Shapes() => new()
    {
        "SELECT a, b FROM t",
        "select a,b from t where x > {since}",
        "SELECT\n    id,\n    RTRIM(name) AS name,\n    amount\nFROM sales.orders\nWHERE changed > {since}",
        "SELECT id\n     , name\n     , amount\nFROM t",
        "WITH recent AS (SELECT id, max(ts) AS ts FROM log GROUP BY id)\nSELECT r.id, r.ts FROM recent r",
        "WITH a AS (SELECT 1 AS x), b(y) AS (SELECT 2) SELECT a.x, b.y FROM a, b",
        "SELECT f(g(h(a, b), c), d) AS deep, (a + (b * (c - d))) AS math FROM t",
        "SELECT CASE WHEN d IN ('0001-01-01', '9999-12-31') THEN NULL ELSE d END AS d, CASE x WHEN 1 THEN 'a' ELSE 'b' END k FROM t",
        "SELECT \"Order Id\" AS order_id, \"T\".\"Name\" FROM \"T\"",
        "SELECT [Order Id] AS order_id, [dbo].[T].[Name] FROM [dbo].[T]",
        "SELECT `Order Id` AS order_id, `t`.`name` FROM `t`",
        "SELECT a -- the key, really\n, /* b, c, */ d FROM t",
        "/* header comment, SELECT x */\nSELECT a, b FROM t -- trailer",
        "SELECT 'a,b' AS s, 'it''s' AS t2, concat(x, ',', y) AS joined FROM t",
        "SELECT DISTINCT a, b FROM t",
        "SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC",
        "SELECT TOP 10 a, b FROM t",
        "SELECT TOP (100) PERCENT a FROM t",
        "SELECT count(*) AS n, sum(x) OVER (PARTITION BY y ORDER BY z) AS running FROM t GROUP BY y",
        "SELECT x::numeric(15,4) AS amount, y::text FROM t",
        "SELECT (SELECT max(v) FROM u WHERE u.id = t.id) AS m, t.id FROM t",
        "SELECT t.* FROM t",
        "SELECT 1",
        "SELECT a, b FROM t;",
        "SELECT CAST(a AS varchar(10)) AS a, EXTRACT(YEAR FROM d) AS y FROM t",
        "SELECT a FROM t WHERE a IN (SELECT b FROM u UNION SELECT c FROM v)",
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Splicing_back_the_parsed_list_changes_nothing(string sql)
    {
        var list = SelectListParser.Parse(sql);
        Assert.True(list.Parsed, list.Error);
        var same = SelectListEditor.Splice(sql, list.Columns.Select(c => new ColumnEdit(c.Expression, c.Alias)).ToList());
        Assert.Equal(sql, same);
    }

    [Fact]
    public void Shapes_cover_at_least_25_queries() => Assert.True(Shapes().Count >= 25);

    [Fact]
    public void A_new_column_is_appended_and_everything_outside_the_list_is_kept()
    {
        const string sql = "WITH c AS (SELECT id, ts FROM log)\nSELECT c.id, c.ts FROM c WHERE c.ts > {since} -- keep";
        var result = SelectListEditor.Splice(sql, [new("c.id", null), new("c.ts", null), new("now()", "loaded_at")]);
        Assert.Equal("WITH c AS (SELECT id, ts FROM log)\nSELECT c.id, c.ts, now() AS loaded_at FROM c WHERE c.ts > {since} -- keep", result);
    }

    [Fact]
    public void A_removed_column_disappears_and_a_multiline_list_keeps_its_layout()
    {
        const string sql = "SELECT\n    id,\n    name,\n    amount\nFROM t";
        var result = SelectListEditor.Splice(sql, [new("id", null), new("amount", null)]);
        Assert.Equal("SELECT\n    id,\n    amount\nFROM t", result);
    }

    [Fact]
    public void Leading_comma_style_is_kept()
    {
        const string sql = "SELECT id\n     , name\nFROM t";
        var result = SelectListEditor.Splice(sql, [new("id", null), new("name", null), new("upper(name)", "shout")]);
        Assert.Equal("SELECT id\n     , name\n     , upper(name) AS shout\nFROM t", result);
    }

    [Fact]
    public void Renamed_aliases_are_quoted_in_the_query_s_own_style_when_needed()
    {
        Assert.Equal("SELECT [A] AS [Order Id] FROM t", SelectListEditor.Splice("SELECT [A] FROM t", [new("[A]", "Order Id")]));
        Assert.Equal("SELECT `a` AS `Order Id` FROM t", SelectListEditor.Splice("SELECT `a` FROM t", [new("`a`", "Order Id")]));
        Assert.Equal("SELECT a AS \"Order Id\" FROM t", SelectListEditor.Splice("SELECT a FROM t", [new("a", "Order Id")]));
        Assert.Equal("SELECT a AS order_id FROM t", SelectListEditor.Splice("SELECT a FROM t", [new("a", "order_id")]));
    }

    [Fact]
    public void Distinct_and_top_stay_in_front_of_the_new_list()
    {
        Assert.Equal("SELECT DISTINCT b FROM t", SelectListEditor.Splice("SELECT DISTINCT a, b FROM t", [new("b", null)]));
        Assert.Equal("SELECT TOP 10 b, a FROM t", SelectListEditor.Splice("SELECT TOP 10 a, b FROM t", [new("b", null), new("a", null)]));
    }

    [Theory]
    [InlineData("SELECT a FROM t UNION SELECT b FROM u")]
    [InlineData("UPDATE t SET a = 1")]
    [InlineData("SELECT 'open FROM t")]
    public void A_query_it_cannot_parse_is_refused_with_a_pointer_to_raw_editing(string sql)
    {
        var error = Assert.Throws<ValidationException>(() => SelectListEditor.Splice(sql, [new("a", null)]));
        Assert.Contains("edit the raw SQL", error.Message);
    }

    [Theory]
    [InlineData("", "no expression")]
    [InlineData("a, b", "not one SQL expression")]
    [InlineData("'open", "not one SQL expression")]
    public void A_bad_row_is_refused_and_names_the_row(string expression, string why)
    {
        var error = Assert.Throws<ValidationException>(() => SelectListEditor.Splice("SELECT a FROM t", [new("a", null), new(expression, null)]));
        Assert.Contains("row 2", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void An_empty_list_is_refused() =>
        Assert.Throws<ValidationException>(() => SelectListEditor.Splice("SELECT a FROM t", []));
}
