using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// Hands the SDK core's metrics (poll, task, schedule-to-start latencies, slots) to a
/// System.Diagnostics.Metrics meter, so the one <c>/metrics</c> endpoint serves them next to the
/// product's own and no second port has to be opened and scraped.
/// </summary>
public sealed class TemporalMetricsBridge : ICustomMetricMeter
{
    public const string MeterName = "Temporalio";

    private readonly Meter meter = new(MeterName);

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description)
        where T : struct => new Counter<T>(meter.CreateCounter<T>(name, unit, description));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description)
        where T : struct => new Histogram<T>(meter.CreateHistogram<T>(name, unit, description));

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description)
        where T : struct => new Gauge<T>(meter, name, unit, description);

    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var merged = appendFrom is KeyValuePair<string, object?>[] existing
            ? existing.Where(e => tags.All(t => t.Key != e.Key)).ToList()
            : [];
        merged.AddRange(tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)));
        return merged.ToArray();
    }

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(object tags) =>
        tags as KeyValuePair<string, object?>[] ?? [];

    private sealed class Counter<T>(System.Diagnostics.Metrics.Counter<T> counter) : ICustomMetricCounter<T>
        where T : struct
    {
        public void Add(T value, object tags) => counter.Add(value, Tags(tags));
    }

    private sealed class Histogram<T>(System.Diagnostics.Metrics.Histogram<T> histogram) : ICustomMetricHistogram<T>
        where T : struct
    {
        public void Record(T value, object tags) => histogram.Record(value, Tags(tags));
    }

    /// <summary>
    /// An observable gauge holding the last value per tag set: exporters of this era know
    /// observable gauges better than the synchronous <c>Gauge&lt;T&gt;</c> of .NET 9.
    /// </summary>
    private sealed class Gauge<T> : ICustomMetricGauge<T>
        where T : struct
    {
        private readonly ConcurrentDictionary<string, Measurement<T>> last = new(StringComparer.Ordinal);

        public Gauge(Meter meter, string name, string? unit, string? description) =>
            meter.CreateObservableGauge(name, () => last.Values, unit, description);

        public void Set(T value, object tags)
        {
            var pairs = Tags(tags).ToArray();
            var key = string.Join('\u001f', pairs.Select(p => $"{p.Key}={p.Value}"));
            last[key] = new Measurement<T>(value, pairs);
        }
    }
}
