using Pipekit.Server.Pages.Shared;
using Xunit;

namespace Pipekit.Server.Tests.Pages;

public sealed class CronTextFacts
{
    [Theory]
    [InlineData("0 20 2 * * *", "every day at 02:20")]
    [InlineData("20 2 * * *", "every day at 02:20")]
    [InlineData("*/15 * * * *", "every 15 minutes")]
    [InlineData("5 * * * *", "every hour at :05")]
    [InlineData("0 6 * * 1-5", "Mon–Fri at 06:00")]
    [InlineData("30 7 * * 1,3", "every Mon, Wed at 07:30")]
    [InlineData("0 6,18 * * *", "every day at 06:00, 18:00")]
    [InlineData("0 3 1 * *", "monthly on day 1 at 03:00")]
    [InlineData("0 0 2 1 *", "0 0 2 1 *")]
    [InlineData("15 20 2 * * *", "15 20 2 * * *")]
    public void Common_shapes_read_as_words_and_the_rest_stays_an_expression(string cron, string expected) =>
        Assert.Equal(expected, CronText.Describe(cron));
}
