using Pipekit.Sync.Deletes;
using Pipekit.Sync.Modules;
using Xunit;

namespace Pipekit.Sync.Tests.Deletes;

/// <summary>The key set query derived from a module's source query, as text, and the shapes it refuses.</summary>
public sealed class SourceScopeFacts
{
    private static Module Module(string sql, string key = "region, order_no", IReadOnlyList<ModuleColumn>? columns = null) => new()
    {
        Name = "m", DestTable = "orders_copy", SourceQuery = sql, MergeStrategy = MergeStrategy.Incremental, MergeKey = key, Columns = columns ?? [],
    };

    public static TheoryData<string, string> Derived => new()
    {
        {
            "SELECT region, order_no, qty FROM orders WHERE version > {version}",
            "SELECT region AS \"region\", order_no AS \"order_no\" FROM orders"
        },
        {
            "SELECT region, order_no, qty FROM orders o WHERE o.active = 1 AND o.version > {version} AND o.kind BETWEEN 1 AND 3 ORDER BY qty",
            "SELECT region AS \"region\", order_no AS \"order_no\" FROM orders o WHERE (o.active = 1) AND (o.kind BETWEEN 1 AND 3)"
        },
        {
            "SELECT RTRIM(r) AS region, n AS order_no FROM src.orders WHERE (updated_at > '{since}' OR touched > '{since}') AND deleted = 0",
            "SELECT RTRIM(r) AS \"region\", n AS \"order_no\" FROM src.orders WHERE deleted = 0"
        },
        {
            "SELECT * FROM orders",
            "SELECT \"region\" AS \"region\", \"order_no\" AS \"order_no\" FROM orders"
        },
        {
            "WITH o AS (SELECT * FROM orders) SELECT region, order_no FROM o WHERE version >= {version} GROUP BY region, order_no",
            "WITH o AS (SELECT * FROM orders) SELECT region AS \"region\", order_no AS \"order_no\" FROM o GROUP BY region, order_no"
        },
    };

    [Theory]
    [MemberData(nameof(Derived))]
    public void The_keys_query_keeps_from_and_where_without_the_watermark_terms(string source, string expected)
    {
        var scope = SourceScope.KeysQuery(Module(source));

        Assert.Null(scope.Error);
        Assert.Equal(expected, scope.Sql);
    }

    [Fact]
    public void Declared_columns_map_merge_keys_to_select_items_by_position()
    {
        var columns = new List<ModuleColumn> { new("R", null, "region", null), new("N", null, "order_no", null), new("Q", null, "qty", null) };

        var scope = SourceScope.KeysQuery(Module("SELECT TRIM(\"R\"), \"N\", \"Q\" FROM t WHERE ts > {ts}", columns: columns));

        Assert.Equal("SELECT TRIM(\"R\") AS \"region\", \"N\" AS \"order_no\" FROM t", scope.Sql);
    }

    [Theory]
    [InlineData("SELECT region, order_no FROM orders WHERE a = 1 OR version > {version} LIMIT 10", "limits its rows (LIMIT)")]
    [InlineData("SELECT region, order_no FROM orders o JOIN x ON x.v > {version}", "placeholder {version} is not in a condition of the top-level WHERE")]
    [InlineData("SELECT region, order_no FROM orders WHERE id IN (SELECT id FROM t WHERE v > {version}) AND a = 1", "")]
    [InlineData("SELECT region, order_no FROM a UNION SELECT region, order_no FROM b", "several SELECTs")]
    public void A_query_whose_watermark_cannot_be_taken_out_needs_an_explicit_keys_query(string source, string why)
    {
        var scope = SourceScope.KeysQuery(Module(source));

        if (why.Length == 0)
        {
            // A placeholder inside a subquery of a top-level AND term drops that whole term: the set only widens.
            Assert.Equal("SELECT region AS \"region\", order_no AS \"order_no\" FROM orders WHERE a = 1", scope.Sql);
            return;
        }
        Assert.Null(scope.Sql);
        Assert.Contains(why, scope.Error);
        Assert.EndsWith("set keys_query to a query returning the merge-key columns", scope.Error);
    }

    [Fact]
    public void An_explicit_keys_query_is_used_as_written()
    {
        var scope = SourceScope.KeysQuery(Module("SELECT region, order_no FROM orders WHERE v > {v} LIMIT 5") with { KeysQuery = "SELECT r, n FROM live_orders;" });

        Assert.Equal("SELECT r, n FROM live_orders", scope.Sql);
    }

    [Fact]
    public void The_full_query_keeps_the_select_list()
    {
        Assert.Equal("SELECT region, order_no, qty FROM orders WHERE region <> 'x'",
            SourceScope.FullQuery(Module("SELECT region, order_no, qty FROM orders WHERE version > {version} AND region <> 'x'")).Sql);
    }
}
