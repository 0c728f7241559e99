using Pipekit.Cli.Terminal;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>Listings as aligned columns: widths follow the widest cell, numbers align right, the last column runs on.</summary>
public sealed class TextTableFacts
{
    [Fact]
    public async Task Columns_are_as_wide_as_their_widest_cell_and_numbers_align_right()
    {
        var table = new TextTable().Column("ID", right: true).Column("MODULE").Column("ROWS", right: true).Column("ERROR");
        table.Row("1", "copy_20261203_131719_1d9af9 (deleted)", "2", null);
        table.Row("12", "orders", "1,000", "relation \"x\" does not exist");
        var output = new StringWriter { NewLine = "\n" };

        await table.WriteAsync(output, CancellationToken.None);

        Assert.Equal(
            "ID  MODULE                                  ROWS  ERROR\n" +
            " 1  copy_20261203_131719_1d9af9 (deleted)      2  -\n" +
            "12  orders                                 1,000  relation \"x\" does not exist\n",
            output.ToString());
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused()
    {
        var table = new TextTable().Column("A").Column("B");
        var refused = Assert.Throws<ArgumentException>(() => table.Row("only one"));
        Assert.Contains("a row has 2 cells, not 1", refused.Message, StringComparison.Ordinal);
    }
}
