using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Runtime;

namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// The process's one Temporal runtime (a native thread pool and the metrics pipeline). It is
/// shared by every client of the process, because each runtime owns threads and its own copy
/// of every SDK metric. The SDK core's own log lines are forwarded to the host's logging, so
/// they come out as JSON like every other line instead of as the core's coloured text.
/// </summary>
public static class WorkerRuntime
{
    private static readonly CoreLogRelay Relay = new();

    private static readonly Lazy<TemporalRuntime> Shared = new(() => new TemporalRuntime(new TemporalRuntimeOptions
    {
        Telemetry = new TelemetryOptions
        {
            Logging = new LoggingOptions
            {
                Filter = new TelemetryFilterOptions(TelemetryFilterOptions.Level.Warn, TelemetryFilterOptions.Level.Warn),
                Forwarding = new LogForwardingOptions { Logger = Relay },
            },
            Metrics = new MetricsOptions
            {
                CustomMetricMeter = new TemporalMetricsBridge(),
                CustomMetricMeterOptions = new CustomMetricMeterOptions { HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds },
            },
        },
    }));

    public static TemporalRuntime Instance => Shared.Value;

    /// <summary>Sends the core's log lines to this factory from now on (the latest host of the process wins).</summary>
    public static TemporalRuntime ForwardCoreLogsTo(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Relay.Target = loggerFactory.CreateLogger("Temporalio.Core");
        return Instance;
    }

    private sealed class CoreLogRelay : ILogger
    {
        public volatile ILogger Target = NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => Target.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Target.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Target.Log(logLevel, eventId, state, exception, formatter);
    }
}
