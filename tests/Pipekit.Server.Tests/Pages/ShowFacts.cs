using Pipekit.Server.Pages.Shared;
using Xunit;

namespace Pipekit.Server.Tests.Pages;

public sealed class ShowFacts
{
    [Theory]
    [InlineData(null, "—")]
    [InlineData(850L, "850 ms")]
    [InlineData(1900L, "1.9 s")]
    [InlineData(134_000L, "2 m 14 s")]
    [InlineData(7_500_000L, "2 h 5 m")]
    public void Durations_read_like_an_ops_tool(long? ms, string expected) => Assert.Equal(expected, Show.Duration(ms));

    [Theory]
    [InlineData(2, "just now")]
    [InlineData(30, "30 s ago")]
    [InlineData(600, "10 m ago")]
    [InlineData(7200, "2 h ago")]
    [InlineData(-3600, "in 1 h")]
    [InlineData(3 * 86400, "3 d ago")]
    public void Relative_times(int secondsAgo, string expected)
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, Show.Relative(now.AddSeconds(-secondsAgo), now));
    }

    [Fact]
    public void A_time_shows_its_absolute_value_and_zone_on_hover()
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        var html = Show.When(now.AddMinutes(-5), now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).ToString();
        Assert.Contains("title=\"2026-12-02 12:55:00 Europe/Berlin\"", html);
        Assert.Contains(">5 m ago<", html);
    }

    [Fact]
    public void Counts_have_thousands_separators() => Assert.Equal("1,204", Show.Count(1204));
}
