using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Pipekit.Core.Configuration;
using Pipekit.Core.Scheduling;
using Pipekit.Core.State;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Scheduling;

/// <summary>The scheduler against a real state store (SQLite and PostgreSQL), on a fake clock, with a recording schedule target.</summary>
public abstract class SchedulerFacts(TestStateStore state) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 58, 30, TimeSpan.Zero);
    private readonly TempDirectory _home = new();
    private readonly FakeTimeProvider _time = new(Start);
    private Recorder _fired = null!;
    private long _groupId;

    private TestStateLocation? _location;

    public async Task InitializeAsync()
    {
        _fired = new Recorder(_time);
        _location = await state.LocationAsync(_home.Path);
        await Store().InitializeAsync(CancellationToken.None);
        _groupId = 7;
    }

    public async Task DisposeAsync()
    {
        if (_location is not null) await _location.DisposeAsync();
        _home.Dispose();
    }

    private StateStore Store() => _location!.Open(Migrator.ForParts([StatePart.Core], state.Kind, _time));

    private (Scheduler Scheduler, ScheduleEditor Editor) NewScheduler(ScheduleChanges? changes = null)
    {
        var repository = new ScheduleRepository(Store(), _time);
        changes ??= new ScheduleChanges();
        var targets = new ScheduleTargets([_fired]);
        return (new Scheduler(repository, targets, changes, _time, new PipekitConfig()), new ScheduleEditor(repository, changes, targets, _time));
    }

    private async Task<Schedule> AddAsync(string cron, string zone = "UTC")
    {
        var (_, editor) = NewScheduler();
        return await editor.CreateAsync(new Schedule { TargetKind = "group", TargetId = _groupId, CronExpr = cron, Timezone = zone }, CancellationToken.None);
    }

    /// <summary>Moves the clock in steps, ticking every scheduler at each step.</summary>
    private async Task RunUntilAsync(DateTimeOffset end, TimeSpan step, params Scheduler[] schedulers)
    {
        while (_time.GetUtcNow() < end)
        {
            _time.Advance(step);
            foreach (var scheduler in schedulers) await scheduler.TickAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Each_occurrence_fires_exactly_once()
    {
        var schedule = await AddAsync("*/5 * * * *");
        var (scheduler, _) = NewScheduler();
        await RunUntilAsync(Start.AddHours(1), TimeSpan.FromSeconds(20), scheduler);

        // 10:00, 10:05 … 10:55: twelve occurrences in the hour after 09:58:30.
        Assert.Equal(12, _fired.Fires.Count);
        Assert.All(_fired.Fires, f => Assert.Equal($"schedule:{schedule.Id}", f.TriggeredBy));
        Assert.Equal(_fired.Fires.Count, _fired.Fires.Select(f => new DateTimeOffset(f.At.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero)).Distinct().Count());
    }

    [Fact]
    public async Task Two_schedulers_on_one_database_fire_each_occurrence_once_between_them()
    {
        await AddAsync("* * * * *");
        var (first, _) = NewScheduler();
        var (second, _) = NewScheduler();
        await RunUntilAsync(Start.AddMinutes(10), TimeSpan.FromSeconds(15), first, second);
        // 09:59 … 10:08 (nothing from before the schedule existed at 09:58:30): once each.
        Assert.Equal(10, _fired.Fires.Count);
        Assert.Equal(10, _fired.Fires.Select(f => (f.At.Hour, f.At.Minute)).Distinct().Count());
    }

    [Fact]
    public async Task A_new_schedule_fires_at_its_first_occurrence_after_creation_and_not_at_once()
    {
        var schedule = await AddAsync("* * * * *");
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 59, 0, TimeSpan.Zero), schedule.NextFireAt);
        var (scheduler, _) = NewScheduler();
        await scheduler.TickAsync(CancellationToken.None);
        Assert.Empty(_fired.Fires);

        _time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 9, 59, 0, TimeSpan.Zero));
        await scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 59, 0, TimeSpan.Zero), Assert.Single(_fired.Fires).At);
    }

    [Fact]
    public async Task Occurrences_missed_while_nothing_ran_fire_once_not_once_each()
    {
        var schedule = await AddAsync("*/10 * * * *");
        var (scheduler, _) = NewScheduler();
        await RunUntilAsync(Start.AddMinutes(2), TimeSpan.FromSeconds(30), scheduler);
        Assert.Single(_fired.Fires);

        _time.Advance(TimeSpan.FromHours(5)); // the server was down: thirty occurrences passed
        var (restarted, _) = NewScheduler();
        await restarted.TickAsync(CancellationToken.None);
        await restarted.TickAsync(CancellationToken.None);
        Assert.Equal(2, _fired.Fires.Count);

        var stored = await new ScheduleRepository(Store(), _time).GetAsync(schedule.Id, CancellationToken.None);
        Assert.Equal(_time.GetUtcNow(), stored!.LastFiredAt);
        Assert.True(stored.NextFireAt > _time.GetUtcNow());
    }

    [Fact]
    public async Task A_six_field_cron_has_seconds_first()
    {
        await AddAsync("0 20 2 * * *");
        var (scheduler, _) = NewScheduler();
        await RunUntilAsync(Start.AddDays(2), TimeSpan.FromSeconds(30), scheduler);
        Assert.Equal(2, _fired.Fires.Count);
        Assert.All(_fired.Fires, f => Assert.Equal(new TimeSpan(2, 20, 0), f.At.TimeOfDay));
    }

    [Fact]
    public async Task Europe_London_fires_once_on_the_days_the_clocks_change()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        await AddAsync("30 1 * * *", "Europe/London");
        var (scheduler, _) = NewScheduler();

        // 29 March: 01:00 GMT jumps to 02:00 BST, so 01:30 does not exist; it fires once, at the jump.
        await RunUntilAsync(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1), scheduler);
        var spring = Assert.Single(_fired.Fires);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), spring.At);

        // 30 March: 01:30 BST is 00:30 UTC.
        await RunUntilAsync(new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1), scheduler);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), _fired.Fires[1].At);

        // 25 October: 02:00 BST falls back to 01:00 GMT, so 01:30 happens twice; it fires once, at the first.
        _time.SetUtcNow(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero));
        var before = _fired.Fires.Count;
        await scheduler.TickAsync(CancellationToken.None); // catch-up of the months skipped above: one fire
        var catchUp = _fired.Fires.Count - before;
        await RunUntilAsync(new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1), scheduler);
        var autumn = _fired.Fires.Skip(before + catchUp).ToList();
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), Assert.Single(autumn).At);
    }

    [Fact]
    public async Task A_disabled_schedule_never_fires()
    {
        var schedule = await AddAsync("* * * * *");
        var (scheduler, editor) = NewScheduler();
        await editor.UpdateAsync(schedule with { Enabled = false }, CancellationToken.None);
        await RunUntilAsync(Start.AddMinutes(5), TimeSpan.FromSeconds(30), scheduler);
        Assert.Empty(_fired.Fires);
    }

    [Fact]
    public async Task The_running_scheduler_wakes_at_once_when_a_schedule_is_added()
    {
        var changes = new ScheduleChanges();
        var (scheduler, editor) = NewScheduler(changes);
        using var stop = new CancellationTokenSource();
        var loop = scheduler.RunAsync(stop.Token);

        // The loop sleeps the longest sleep (60 s) with no schedules; the new schedule is due at 09:59:00, 30 s away,
        // so only a scheduler that woke for the change fires when the clock gets there.
        await editor.CreateAsync(new Schedule { TargetKind = "group", TargetId = _groupId, CronExpr = "* * * * *" }, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        var fire = await _fired.Next.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(_groupId, fire.TargetId);

        await stop.CancelAsync();
        await loop;
    }

    private sealed record Fire(long TargetId, string TriggeredBy, DateTimeOffset At);

    /// <summary>A schedule target that records when each run would have started; group 7 is the only one that exists.</summary>
    private sealed class Recorder(TimeProvider time) : IScheduleTarget
    {
        private long _next;

        public ConcurrentQueue<Fire> Queue { get; } = new();

        public System.Threading.Channels.Channel<Fire> Next { get; } = System.Threading.Channels.Channel.CreateUnbounded<Fire>();

        public List<Fire> Fires => Queue.ToList();

        public string Kind => "group";

        public Task<string?> FindNameAsync(long targetId, CancellationToken cancellationToken) =>
            Task.FromResult(targetId == 7 ? "nightly" : null);

        public Task<long> StartScheduledRunAsync(long targetId, string triggeredBy, CancellationToken cancellationToken)
        {
            var fire = new Fire(targetId, triggeredBy, time.GetUtcNow());
            Queue.Enqueue(fire);
            Next.Writer.TryWrite(fire);
            return Task.FromResult(Interlocked.Increment(ref _next));
        }
    }

    public sealed class OnSqlite() : SchedulerFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : SchedulerFacts(TestStateStore.Postgres(postgres));
}
