using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

public sealed class ColumnAliasFacts
{
    [Theory]
    [InlineData("DCORD#", "dcord")]
    [InlineData("dcord", "dcord")]
    [InlineData("Order Date", "order_date")]
    [InlineData("AMT$", "amt")]
    [InlineData("CUST-NO", "cust_no")]
    [InlineData("A__B", "a_b")]
    [InlineData("1ST_QTR", "_1st_qtr")]
    [InlineData("#", "column")]
    [InlineData("  Name  ", "name")]
    [InlineData("Größe", "größe")]
    public void Default_alias_is_lowercase_with_special_characters_stripped(string column, string alias) =>
        Assert.Equal(alias, ColumnAlias.Default(column));
}
