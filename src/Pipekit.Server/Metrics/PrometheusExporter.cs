using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Pipekit.Chains.Jobs;
using Pipekit.Core.Scheduling;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Metrics;

/// <summary>
/// Collects this server's instruments — runs (Sync), the scheduler (Core) and ASP.NET Core's request
/// durations — through a <see cref="MeterListener"/> and renders them in the Prometheus text format. Only meters
/// created by this app's <see cref="IMeterFactory"/> are read, so two servers in one process never mix.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private const string AspNetCoreHosting = "Microsoft.AspNetCore.Hosting";
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
    private static readonly double[] HttpBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] RowBuckets = [0, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    // Only these tags become labels; ASP.NET Core adds more (scheme, protocol) that would only multiply series.
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["status"] = "status",
        ["http.request.method"] = "method",
        ["http.route"] = "route",
        ["http.response.status_code"] = "code",
        ["cache"] = "cache",
        ["prepare"] = "prepare",
        ["reason"] = "reason",
    };

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);

    public PrometheusExporter(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter.Scope, meters)) return;
            if (instrument.Meter.Name is not (RunCoordinator.MeterName or Scheduler.MeterName or ChainMetrics.MeterName)
                && !(instrument.Meter.Name == AspNetCoreHosting && instrument.Name == "http.server.request.duration"))
                return;
            lock (_gate)
            {
                var family = Describe(instrument);
                _families.TryAdd(family.Name, family);
                listener.EnableMeasurementEvents(instrument, _families[family.Name]);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>The current values in the Prometheus text exposition format (version 0.0.4).</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
                family.Render(text);
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static Family Describe(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal)) name += "_seconds";
        var help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => new Family(name + "_total", "counter", help, null),
            ObservableGauge<int> or ObservableGauge<long> or ObservableGauge<double> => new Family(name, "gauge", help, null),
            _ when instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal) => new Family(name, "histogram", help,
                instrument.Meter.Name == AspNetCoreHosting ? HttpBuckets : instrument.Unit == "s" ? SecondsBuckets : RowBuckets),
            _ => new Family(name, "gauge", help, null),
        };
    }

    private static string LabelsOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
            if (Labels.TryGetValue(tag.Key, out var label))
                parts.Add($"{label}=\"{Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")}\"");
        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("G17", CultureInfo.InvariantCulture);

    /// <summary>One metric family: its series by label set. Counters sum, gauges keep the last value, histograms count into buckets.</summary>
    private sealed class Family(string name, string type, string help, double[]? buckets)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = LabelsOf(tags);
            lock (_gate)
            {
                if (!_series.TryGetValue(labels, out var series))
                    _series[labels] = series = new Series(buckets is null ? [] : new long[buckets.Length]);
                switch (type)
                {
                    case "counter":
                        series.Sum += value;
                        break;
                    case "gauge":
                        series.Sum = value;
                        break;
                    default:
                        series.Sum += value;
                        series.Count++;
                        for (var i = 0; i < buckets!.Length; i++)
                            if (value <= buckets[i]) series.Buckets[i]++;
                        break;
                }
            }
        }

        public void Render(StringBuilder text)
        {
            lock (_gate)
            {
                text.Append("# HELP ").Append(Name).Append(' ').Append(help).Append('\n');
                text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
                foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    if (type != "histogram")
                    {
                        text.Append(Name).Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                        continue;
                    }
                    for (var i = 0; i < buckets!.Length; i++)
                        text.Append(Name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Number(buckets[i])}\""))).Append(' ')
                            .Append(series.Buckets[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                    text.Append(Name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ')
                        .Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    text.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                    text.Append(Name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : $"{labels},{extra}";

        private static string Braces(string labels) => labels.Length == 0 ? "" : $"{{{labels}}}";
    }

    private sealed class Series(long[] buckets)
    {
        public double Sum { get; set; }
        public long Count { get; set; }
        public long[] Buckets { get; } = buckets;
    }
}
