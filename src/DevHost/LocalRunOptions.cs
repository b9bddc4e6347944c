using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Logging;
using Temporalio.Extensions.Hosting;

namespace EventProcessor.DevHost;

/// <summary>How the local run is set up; the defaults are those of <c>dotnet run --project src/DevHost</c>.</summary>
public sealed record LocalRunOptions
{
    /// <summary>Where the intake, <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> listen; port 0 picks a free one.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>The folder of sample events; found above the current or the program's folder when null.</summary>
    public string? SamplesDirectory { get; init; }

    /// <summary>A Temporal frontend to use instead of the embedded one (<c>TEMPORAL_ADDRESS</c>).</summary>
    public string? TemporalAddress { get; init; } = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");

    public string TemporalNamespace { get; init; } = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") is { Length: > 0 } ns ? ns : "default";

    /// <summary>
    /// Gives every sample a new event id, so runs against a long-lived server (<c>TEMPORAL_ADDRESS</c>)
    /// start new workflows instead of finding the closed runs of an earlier local run.
    /// </summary>
    public bool FreshEventIds { get; init; }

    /// <summary>Extends the worker after the product's own setup (benchmarks add workflows and interceptors here).</summary>
    public Action<ITemporalWorkerServiceOptionsBuilder>? ConfigureWorker { get; init; }

    /// <summary>How long one sample may take from intake to result.</summary>
    public TimeSpan SampleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Settings applied over appsettings.json and the environment (tests use it).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Runs after <see cref="SampleWorld.Arrange"/>: tests add faults to the stand-ins.</summary>
    public Action<DownstreamStandIns>? ArrangeWorld { get; init; }

    /// <summary>Extra logging providers (tests capture logs).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Console log level: warnings only while the table is being produced, everything when kept running.</summary>
    public LogLevel ConsoleLogLevel { get; init; } = LogLevel.Warning;

    public string[] Args { get; init; } = [];
}
