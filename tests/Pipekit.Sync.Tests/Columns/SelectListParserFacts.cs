using Pipekit.Sync.Columns;
using Xunit;

namespace Pipekit.Sync.Tests.Columns;

public sealed class SelectListParserFacts
{
    [Theory]
    [InlineData("SELECT a, b FROM t", "a|a|;b|b|")]
    [InlineData("SELECT t.a, \"T\".\"B C\" FROM t", "t.a|a|;\"T\".\"B C\"|B C|")]
    [InlineData("SELECT RTRIM(x) AS x, y AS \"Why\" FROM t", "RTRIM(x)|x|x;y|Why|Why")]
    [InlineData("select count(*) n, amount * 2 doubled from t", "count(*)|n|n;amount * 2|doubled|doubled")]
    [InlineData("SELECT a - b, x::int, 'lit' label FROM t", "a - b|||;x::int||;'lit'|label|label")]
    [InlineData("SELECT CASE WHEN d IN ('0001-01-01', '9999-12-31') THEN NULL ELSE d END d FROM t", "CASE WHEN d IN ('0001-01-01', '9999-12-31') THEN NULL ELSE d END|d|d")]
    [InlineData("SELECT CASE WHEN a THEN 1 END FROM t", "CASE WHEN a THEN 1 END||")]
    [InlineData("WITH c AS (SELECT 1 AS z FROM q), d(x) AS (SELECT 2) SELECT c.z, f(a, b) AS g FROM c", "c.z|z|;f(a, b)|g|g")]
    [InlineData("SELECT DISTINCT a, b FROM t", "a|a|;b|b|")]
    [InlineData("SELECT TOP 10 [A B] FROM t", "[A B]|A B|")]
    [InlineData("SELECT a -- trailing, comment\n, /* b, */ c FROM t", "a|a|;c|c|")]
    [InlineData("SELECT 'a,b' AS s, sum(x) OVER (PARTITION BY y) total FROM t", "'a,b'|s|s;sum(x) OVER (PARTITION BY y)|total|total")]
    [InlineData("SELECT x AS id, 'n' AS customer FROM c WHERE x > {since}", "x|id|id;'n'|customer|customer")]
    [InlineData("SELECT 1", "1||")]
    [InlineData("SELECT `order id` AS oid, `x` FROM t", "`order id`|oid|oid;`x`|x|")]
    [InlineData("SELECT [DCORD#] AS dcord, RTRIM([NAME]) [name] FROM lib.t", "[DCORD#]|dcord|dcord;RTRIM([NAME])|name|name")]
    [InlineData("SELECT DISTINCT ON (a) a, b FROM t", "a|a|;b|b|")]
    [InlineData("SELECT TOP (5) a FROM t", "a|a|")]
    [InlineData("SELECT coalesce(nullif(trim(a), ''), concat(b, ',', c)) AS k FROM t", "coalesce(nullif(trim(a), ''), concat(b, ',', c))|k|k")]
    [InlineData("SELECT (SELECT max(x) FROM u WHERE u.id = t.id) AS m FROM t", "(SELECT max(x) FROM u WHERE u.id = t.id)|m|m")]
    [InlineData("SELECT t.* FROM t", "t.*||")]
    [InlineData("SELECT 'it''s, here' AS q FROM t", "'it''s, here'|q|q")]
    public void Parses_the_top_level_select_list(string sql, string expected)
    {
        var list = SelectListParser.Parse(sql);
        Assert.True(list.Parsed, list.Error);
        // expression|name|alias per column; expected drops empty trailing parts consistently
        var actual = string.Join(";", list.Columns.Select(c => $"{c.Expression}|{c.Name}|{c.Alias}"));
        Assert.Equal(Normalize(expected), Normalize(actual));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("UPDATE t SET a = 1", "no top-level SELECT")]
    [InlineData("SELECT 'unterminated FROM t", "unterminated")]
    [InlineData("SELECT a,, b FROM t", "empty item")]
    [InlineData("SELECT a FROM t UNION ALL SELECT b FROM u", "UNION")]
    [InlineData("SELECT a /* unterminated FROM t", "unterminated")]
    public void Says_why_when_it_cannot_read_a_query(string sql, string why)
    {
        var list = SelectListParser.Parse(sql);
        Assert.False(list.Parsed);
        Assert.Contains(why, list.Error);
    }

    private static string Normalize(string s) => string.Join(";", s.Split(';').Select(part => part.TrimEnd('|')));
}
