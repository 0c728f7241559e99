using Pipekit.Core.Errors;
using Pipekit.Core.Scheduling;

namespace Pipekit.Server.Pages.Groups;

/// <summary>The next three fire times of a cron expression in its time zone, or why it is refused (as the scheduler would).</summary>
internal sealed record NextFires(IReadOnlyList<DateTimeOffset> Times, string? Error, TimeZoneInfo? Zone)
{
    public static NextFires Of(string? cron, string? timezone, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(cron)) return new NextFires([], "enter a cron expression, e.g. 0 20 2 * * * (02:20:00 daily)", null);
        try
        {
            var schedule = CronSchedule.Parse(cron, string.IsNullOrWhiteSpace(timezone) ? "UTC" : timezone);
            var times = new List<DateTimeOffset>();
            var at = now;
            while (times.Count < 3 && schedule.NextAfter(at) is { } next)
            {
                times.Add(next);
                at = next;
            }
            return new NextFires(times, times.Count == 0 ? "this expression never fires" : null, schedule.Zone);
        }
        catch (InvalidInputException e)
        {
            return new NextFires([], e.Message, null);
        }
    }
}
