using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;
using Xunit;

namespace Pipekit.Chains.Tests.Planning;

public sealed class ChainOrderFacts
{
    private static ProjectTree Tree(params string[] paths) => ProjectTree.From(paths.Select(p => KeyValuePair.Create(p, "-- " + p)));

    [Fact]
    public void Without_a_manifest_directories_run_init_schema_seed_others_test_bench()
    {
        var tree = Tree("bench/1.sql", "test/1.sql", "zeta/1.sql", "alpha/1.sql", "seed/1.sql", "schema/1.sql", "init/1.sql", "root.sql");
        Assert.Equal(
            ["init/1.sql", "schema/1.sql", "seed/1.sql", "root.sql", "alpha/1.sql", "zeta/1.sql", "test/1.sql", "bench/1.sql"],
            ChainOrder.Steps(tree).Select(s => s.Path));
    }

    [Fact]
    public void Files_in_a_directory_sort_in_natural_order()
    {
        var tree = Tree("init/10_x.sql", "init/2_x.sql", "init/1_x.sql", "init/sub/3.sql");
        Assert.Equal(["init/1_x.sql", "init/2_x.sql", "init/10_x.sql", "init/sub/3.sql"], ChainOrder.Steps(tree).Select(s => s.Path));
    }

    [Fact]
    public void Only_sql_files_are_steps()
    {
        var tree = Tree("init/1.sql", "init/README.md", "seed/data.csv");
        Assert.Equal(["init/1.sql"], ChainOrder.Steps(tree).Select(s => s.Path));
    }

    [Fact]
    public void A_manifest_lists_steps_and_globs_in_order_without_repeating_a_file()
    {
        var tree = Tree("a/2.sql", "a/10.sql", "b/1.sql", "b/x/2.sql", "c.sql", "unlisted.sql");
        tree.Add("chain.toml", "steps = [\"c.sql\", \"b/**/*.sql\", \"a/*.sql\", \"c.sql\"]");
        Assert.Equal(["c.sql", "b/1.sql", "b/x/2.sql", "a/2.sql", "a/10.sql"], ChainOrder.Steps(tree).Select(s => s.Path));
    }

    [Theory]
    [InlineData("steps = [\"missing.sql\"]", "not in the project")]
    [InlineData("steps = [\"nothing/*.sql\"]", "matches no .sql file")]
    [InlineData("steps = [\"../a.sql\"]", "'..'")]
    [InlineData("steps = []", "non-empty array")]
    [InlineData("order = [\"a.sql\"]", "unknown key 'order'")]
    [InlineData("steps = [", "chain.toml")]
    public void A_bad_manifest_is_refused(string manifest, string expected)
    {
        var tree = Tree("a.sql");
        tree.Add("chain.toml", manifest);
        var error = Assert.Throws<ChainInputException>(() => ChainOrder.Steps(tree));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_tail_is_every_step_before_the_head()
    {
        var plan = ChainOrder.Plan(Tree("init/1.sql", "schema/1.sql", "seed/1.sql", "test/1.sql"), "./seed/1.sql");
        Assert.Equal(2, plan.Head.Index);
        Assert.Equal(["init/1.sql", "schema/1.sql"], plan.Tail.Select(s => s.Path));
    }

    [Theory]
    [InlineData("nope.sql", "not in the project tree")]
    [InlineData("init/notes.txt", "not a .sql file")]
    [InlineData("../x.sql", "'..'")]
    public void A_head_that_is_not_a_step_is_refused(string head, string expected)
    {
        var error = Assert.Throws<ChainInputException>(() => ChainOrder.Plan(Tree("init/1.sql", "init/notes.txt"), head));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("a2", "a10", -1)]
    [InlineData("a10", "a2", 1)]
    [InlineData("a01", "a1", 1)]
    [InlineData("b", "a", 1)]
    [InlineData("a", "a1", -1)]
    public void Natural_order_compares_digit_runs_as_numbers(string x, string y, int sign) =>
        Assert.Equal(sign, Math.Sign(NaturalOrder.Instance.Compare(x, y)));
}
