using System.Diagnostics.Metrics;
using EventProcessor.Activities.Downstream;

namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// The product's own counters, on the same meter as the downstream call counter
/// (<c>eventprocessor.downstream.calls</c>) so one meter holds every product metric.
/// </summary>
public static class ProductMetrics
{
    private static readonly Meter Meter = new(DownstreamHttpHandler.MeterName);

    private static readonly Counter<long> EventsProcessed = Meter.CreateCounter<long>(
        "eventprocessor.events.processed", unit: "{event}", description: "Event workflows finished, by event type and outcome (completed, failed, canceled).");

    private static readonly Counter<long> ActivityFailures = Meter.CreateCounter<long>(
        "eventprocessor.activity.failures", unit: "{failure}", description: "Failed activity attempts, by activity and error type.");

    public static void EventProcessed(string eventType, string outcome) =>
        EventsProcessed.Add(1, new KeyValuePair<string, object?>("event_type", eventType), new KeyValuePair<string, object?>("outcome", outcome));

    public static void ActivityFailed(string activity, string errorType) =>
        ActivityFailures.Add(1, new KeyValuePair<string, object?>("activity", activity), new KeyValuePair<string, object?>("error_type", errorType));
}
