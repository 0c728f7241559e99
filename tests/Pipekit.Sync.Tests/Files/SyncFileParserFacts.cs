using Pipekit.Core.Validation;
using Pipekit.Sync.Files;
using Xunit;

namespace Pipekit.Sync.Tests.Files;

/// <summary>Reading module files: a file whose meaning would be lost on the way in is refused with its line.</summary>
public sealed class SyncFileParserFacts
{
    private const string Module = """
        source = "src"
        destination = "dst"
        dest_table = "t_copy"
        strategy = "full"
        source_query = "SELECT 1 AS v"
        """;

    [Fact]
    public void Modules_declared_in_one_block_are_all_read_in_order()
    {
        var file = SyncFileParser.Parse($"""
            [[modules]]
            name = "a"
            {Module}

            [[modules.watermarks]]
            name = "w"
            connection = "dst"
            resolver_sql = "SELECT 1"

            [[modules]]
            name = "b"
            {Module}

            [[groups]]
            name = "g"
            modules = ["a", "b"]
            """, "modules.toml");

        Assert.Equal(["a", "b"], file.Modules.Select(m => m.Name));
        Assert.Equal(["w"], file.Modules[0].Watermarks.Select(w => w.Name));
        Assert.Equal(["a", "b"], file.Groups.Single().Modules);
    }

    [Fact]
    public void Modules_split_around_a_group_are_refused_naming_the_line_instead_of_losing_the_first_ones()
    {
        var ex = Assert.Throws<ValidationException>(() => SyncFileParser.Parse($"""
            [[modules]]
            name = "a"
            {Module}

            [[groups]]
            name = "g"
            modules = ["a", "b"]

            [[modules]]
            name = "b"
            {Module}
            """, "modules.toml"));

        Assert.Equal(
            ["modules.toml:13: the [[modules]] entries are split by other tables; keep every [[modules]] entry, with its sub-tables, in one block"],
            ex.Errors["file"]);
    }
}
