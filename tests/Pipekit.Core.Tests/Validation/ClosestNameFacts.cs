using Pipekit.Core.Validation;
using Xunit;

namespace Pipekit.Core.Tests.Validation;

public sealed class ClosestNameFacts
{
    private static readonly string[] ModuleFields =
        ["name", "project", "source_connection_id", "dest_connection_id", "dest_table", "source_query", "merge_strategy", "merge_key", "columns", "enabled", "notes", "watermarks", "hooks"];

    [Theory]
    [InlineData("merge_stratgy", "merge_strategy")]
    [InlineData("merge_startegy", "merge_strategy")]
    [InlineData("Merge_Strategy", "merge_strategy")]
    [InlineData("strategy", "merge_strategy")]
    [InlineData("dest_tabel", "dest_table")]
    [InlineData("note", "notes")]
    [InlineData("hook", "hooks")]
    public void A_typo_or_a_part_of_a_field_suggests_the_field(string typed, string expected) => Assert.Equal(expected, ClosestName.Find(typed, ModuleFields));

    [Theory]
    [InlineData("order", "run_order")]
    [InlineData("default", "default_value")]
    public void A_file_key_suggests_the_api_field(string typed, string expected) =>
        Assert.Equal(expected, ClosestName.Find(typed, ["id", "module_id", "name", "connection_id", "resolver_sql", "default_value", "run_order", "sql", "run_on"]));

    [Theory]
    [InlineData("zz_not_a_field")]
    [InlineData("x")]
    [InlineData("")]
    public void Something_unlike_any_field_suggests_nothing(string typed) => Assert.Null(ClosestName.Find(typed, ModuleFields));

    [Fact]
    public void A_huge_name_is_not_compared() => Assert.Null(ClosestName.Find(new string('n', 100_000), ModuleFields));
}
