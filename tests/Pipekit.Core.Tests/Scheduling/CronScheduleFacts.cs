using System.Globalization;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Validation;
using Xunit;

namespace Pipekit.Core.Tests.Scheduling;

/// <summary><see cref="CronSchedule"/> alone: parsing, field errors, zones and the two DST edges, on fixed instants.</summary>
public sealed class CronScheduleFacts
{
    public static TheoryData<string, string, string, string> NextOccurrences => new()
    {
        // cron, zone, after (UTC), expected next (UTC)
        { "* * * * *", "UTC", "2026-03-02T09:58:30Z", "2026-03-02T09:59:00Z" },
        { "0 2 * * *", "UTC", "2026-03-02T02:00:00Z", "2026-03-03T02:00:00Z" },
        { "0 20 2 * * *", "UTC", "2026-03-02T02:20:00Z", "2026-03-03T02:20:00Z" },
        { "30 15 10 * * *", "UTC", "2026-03-02T00:00:00Z", "2026-03-02T10:15:30Z" },
        { "0 9 * * 1-5", "UTC", "2026-03-06T09:00:00Z", "2026-03-09T09:00:00Z" },
        { "@hourly", "UTC", "2026-03-02T09:10:00Z", "2026-03-02T10:00:00Z" },
        { "@daily", "UTC", "2026-03-02T09:10:00Z", "2026-03-03T00:00:00Z" },
        { "0 0 1 * *", "UTC", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z" },
        // Wall-clock times in a zone: 02:20 London is 02:20Z in winter and 01:20Z in summer.
        { "0 20 2 * * *", "Europe/London", "2026-01-10T12:00:00Z", "2026-01-11T02:20:00Z" },
        { "0 20 2 * * *", "Europe/London", "2026-06-10T12:00:00Z", "2026-06-11T01:20:00Z" },
        { "0 9 * * *", "America/New_York", "2026-07-01T00:00:00Z", "2026-07-01T13:00:00Z" },
        // Spring forward (London, 2026-03-29 01:00 → 02:00): 01:30 does not exist and fires at the jump.
        { "30 1 * * *", "Europe/London", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z" },
        // Fall back (London, 2026-10-25 02:00 → 01:00): 01:30 happens twice and fires once, at the first.
        { "30 1 * * *", "Europe/London", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z" },
        { "30 1 * * *", "Europe/London", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z" },
    };

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    [InlineData("0 0 31 2,4,6,9,11 *")]
    [InlineData("0 0 0 30 2 *")]
    public void A_cron_that_can_never_fire_is_refused(string cron)
    {
        var refused = Assert.Throws<ValidationException>(() => CronSchedule.Parse(cron, "UTC"));
        Assert.Contains("can never fire", refused.Errors["cron_expr"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 29 2 *")]
    [InlineData("0 0 31 * *")]
    public void A_cron_that_fires_rarely_is_kept(string cron) => Assert.NotNull(CronSchedule.Parse(cron, "UTC").NextAfter(DateTimeOffset.UnixEpoch));

    [Theory]
    [MemberData(nameof(NextOccurrences))]
    public void The_next_occurrence_is_computed_on_the_wall_clock_of_the_zone(string cron, string zone, string after, string expected)
    {
        var schedule = CronSchedule.Parse(cron, zone);
        Assert.Equal(Instant(expected), schedule.NextAfter(Instant(after)));
    }

    public static TheoryData<string, string> FieldErrors => new()
    {
        { "", "is required" },
        { "* * *", "has 3 field(s); use 5" },
        { "61 * * * *", "the minute field '61' is invalid (field 1 of 5)" },
        { "* 25 * * *", "the hour field '25' is invalid (field 2 of 5)" },
        { "* * 32 * *", "the day of month field '32' is invalid (field 3 of 5)" },
        { "* * * 13 *", "the month field '13' is invalid (field 4 of 5)" },
        { "* * * * 8", "the day of week field '8' is invalid (field 5 of 5)" },
        { "70 * * * * *", "the second field '70' is invalid (field 1 of 6)" },
        { "@sometimes", "'@sometimes' is not a known macro" },
    };

    [Theory]
    [MemberData(nameof(FieldErrors))]
    public void A_bad_expression_names_the_field_at_fault(string cron, string message)
    {
        var ex = Assert.Throws<ValidationException>(() => CronSchedule.Parse(cron, "UTC"));
        Assert.Contains(message, Assert.Single(ex.Errors["cron_expr"]));
    }

    [Fact]
    public void An_unknown_zone_is_refused_with_examples()
    {
        var ex = Assert.Throws<ValidationException>(() => CronSchedule.Parse("* * * * *", "Mars/Olympus"));
        Assert.Contains("'Mars/Olympus' is not an IANA time zone", Assert.Single(ex.Errors["timezone"]));
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("0 20 2 * * *")]
    [InlineData("@daily")]
    public void The_expression_is_kept_as_written_and_an_empty_zone_is_UTC(string cron)
    {
        var parsed = CronSchedule.Parse($"  {cron} ", null);
        Assert.Equal(cron, parsed.Expression);
        Assert.Equal("UTC", parsed.Zone.Id);
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
