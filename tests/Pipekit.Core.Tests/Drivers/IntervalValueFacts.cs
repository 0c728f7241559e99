using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

public sealed class IntervalValueFacts
{
    public static TheoryData<string, int, int, long> Spellings() => new()
    {
        // This type's own text, as the sources read intervals.
        { "14 months -3 days 14706789012 microseconds", 14, -3, 14_706_789_012 },
        { "0 months 0 days 0 microseconds", 0, 0, 0 },
        // PostgreSQL (IntervalStyle postgres): each part has its own sign; the time's sign covers all of it.
        { "1 year 2 mons -3 days +04:05:06.789012", 14, -3, 14_706_789_012 },
        { "-1 years -2 mons +3 days -04:05:06.000001", -14, 3, -14_706_000_001 },
        { "-00:00:00.000001", 0, 0, -1 },
        // DuckDB.
        { "1 year 2 months -3 days 04:05:06.789012", 14, -3, 14_706_789_012 },
        { "-100 years -11 months 29 days 838:59:59.999999", -1211, 29, 3_020_399_999_999 },
        { "00:00:00", 0, 0, 0 },
        // .NET TimeSpan text: days before the point, seven fraction digits.
        { "3.04:05:06.7890000", 0, 3, 14_706_789_000 },
        { "-3.04:05:06.7890000", 0, -3, -14_706_789_000 },
        // Units.
        { "2 weeks 1 hour 30 minutes 1.5 seconds 250 milliseconds", 0, 14, 5_401_750_000 },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Parse_reads_each_engines_spelling_into_its_three_parts(string text, int months, int days, long micros) =>
        Assert.Equal(new IntervalValue(months, days, micros), IntervalValue.Parse(text));

    [Fact]
    public void ToString_is_the_parts_text_that_reads_back_as_the_same_value()
    {
        var value = new IntervalValue(-2147483648, 2147483647, long.MinValue);
        Assert.Equal("-2147483648 months 2147483647 days -9223372036854775808 microseconds", value.ToString());
        Assert.Equal(value, IntervalValue.Parse(value.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("3 fortnights")]
    [InlineData("1.5 days")]
    [InlineData("0.0000001 seconds")]
    [InlineData("99999999999 months")]
    [InlineData("4:x:06")]
    public void Parse_refuses_what_is_not_an_exact_interval(string text) =>
        Assert.ThrowsAny<Exception>(() => IntervalValue.Parse(text));

    [Fact]
    public void A_timespan_becomes_whole_days_and_the_rest_in_microseconds()
    {
        Assert.Equal(new IntervalValue(0, 3, 14_706_789_000), IntervalValue.FromTimeSpan(new TimeSpan(3, 4, 5, 6, 789)));
        Assert.Equal(new IntervalValue(0, -1, -3_600_000_000), IntervalValue.FromTimeSpan(-TimeSpan.FromHours(25)));
        Assert.Equal(TimeSpan.FromHours(-25), new IntervalValue(0, -1, -3_600_000_000).ToTimeSpan());
    }

    [Fact]
    public void An_interval_with_months_has_no_timespan() =>
        Assert.Throws<OverflowException>(() => new IntervalValue(1, 0, 0).ToTimeSpan());
}
