using Cronos;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Scheduling;

/// <summary>
/// A cron expression in an IANA time zone: 5 fields (minute hour day-of-month month day-of-week), or 6 with
/// seconds first as in seed 002's <c>0 20 2 * * *</c> (02:20:00 daily). Parsed by Cronos.
/// </summary>
/// <remarks>
/// Occurrences are computed in the schedule's zone, so <c>30 1 * * *</c> in Europe/London means 01:30 on the
/// wall clock all year. Cronos decides the two DST edges: a wall time skipped by the spring-forward jump fires
/// at the moment of the jump, and a wall time repeated by the fall-back hour fires once, at its first instance.
/// </remarks>
public sealed class CronSchedule
{
    private static readonly string[] FiveFields = ["minute", "hour", "day of month", "month", "day of week"];
    private static readonly string[] SixFields = ["second", "minute", "hour", "day of month", "month", "day of week"];

    private static readonly DateTimeOffset NeverFiresCheckFrom = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CronExpression _expression;

    private CronSchedule(string expression, CronExpression parsed, TimeZoneInfo zone)
    {
        Expression = expression;
        _expression = parsed;
        Zone = zone;
    }

    public string Expression { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Parses an expression and a zone, or throws <see cref="ValidationException"/> with a message for
    /// <c>cron_expr</c> that names the field at fault, or for <c>timezone</c>.
    /// </summary>
    public static CronSchedule Parse(string? expression, string? timezone)
    {
        var errors = new ValidationErrors();
        TimeZoneInfo? zone = null;
        var zoneId = string.IsNullOrWhiteSpace(timezone) ? "UTC" : timezone.Trim();
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add("timezone", $"'{zoneId}' is not an IANA time zone (e.g. UTC, Europe/London, America/New_York)");
        }
        CronExpression? parsed = null;
        var text = expression?.Trim() ?? "";
        if (text.Length == 0)
            errors.Add("cron_expr", "is required, e.g. '0 2 * * *' (02:00 daily) or '0 20 2 * * *' (02:20:00 daily)");
        else if (ParseOrExplain(text, out var problem) is { } ok)
        {
            parsed = ok;
            // Every field can be valid and the whole still name no day: 0 0 30 2 * (February 30th). Cron has no year,
            // so an expression with no occurrence in a leap-year cycle from a fixed start never fires at all.
            if (ok.GetNextOccurrence(NeverFiresCheckFrom, TimeZoneInfo.Utc) is null)
                errors.Add("cron_expr", $"'{text}' can never fire: no date matches its day-of-month, month and day-of-week fields together");
        }
        else
            errors.Add("cron_expr", problem!);
        errors.ThrowIfAny();
        return new CronSchedule(text, parsed!, zone!);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone, inclusive: false);

    /// <summary>
    /// The occurrence a schedule waits for: the first after its last fire, or, when it never fired, the first after it
    /// was created. When it is not later than now, the schedule is due.
    /// </summary>
    /// <remarks>
    /// A new schedule must not look back: seed 002's two-minute look-back made a fresh <c>* * * * *</c> fire the moment
    /// it was saved, for an occurrence from before it existed.
    /// </remarks>
    public DateTimeOffset? NextFire(DateTimeOffset? lastFiredAt, DateTimeOffset createdAt) => NextAfter(lastFiredAt ?? createdAt);

    private static CronExpression? ParseOrExplain(string text, out string? problem)
    {
        problem = null;
        if (text.StartsWith('@'))
        {
            if (TryParse(text, CronFormat.Standard, out var macro)) return macro;
            problem = $"'{text}' is not a known macro (@yearly, @monthly, @weekly, @daily, @hourly, @every_minute)";
            return null;
        }
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            problem = $"has {fields.Length} field(s); use 5 (minute hour day-of-month month day-of-week) or 6 with seconds first";
            return null;
        }
        var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (TryParse(string.Join(' ', fields), format, out var result)) return result;

        // Cronos says only that the expression is invalid; try each field alone to name the one at fault.
        var names = fields.Length == 6 ? SixFields : FiveFields;
        for (var i = 0; i < fields.Length; i++)
        {
            var probe = Enumerable.Repeat("*", fields.Length).ToArray();
            probe[i] = fields[i];
            if (!TryParse(string.Join(' ', probe), format, out _))
            {
                problem = $"the {names[i]} field '{fields[i]}' is invalid (field {i + 1} of {fields.Length})";
                return null;
            }
        }
        problem = $"'{text}' is not a valid cron expression (the fields are valid alone but not together)";
        return null;
    }

    private static bool TryParse(string text, CronFormat format, out CronExpression? expression)
    {
        try
        {
            expression = CronExpression.Parse(text, format);
            return true;
        }
        catch (CronFormatException)
        {
            expression = null;
            return false;
        }
    }
}
