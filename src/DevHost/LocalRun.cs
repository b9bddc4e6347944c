using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EventProcessor.DownstreamStubs;
using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.Intake;
using EventProcessor.Worker;
using EventProcessor.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.DevHost;

/// <summary>
/// The whole pipeline in one process: Temporal (embedded or <c>TEMPORAL_ADDRESS</c>), the worker
/// and the trigger's intake on one web host, and the downstream stand-ins arranged as
/// <see cref="SampleWorld"/> unless real endpoints are configured (<c>Jira:BaseUrl</c> set).
/// </summary>
public sealed class LocalRun : IAsyncDisposable
{
    public const string TaskQueue = "event-processor-local";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly LocalRunOptions options;
    private readonly HttpClient http = new();

    private LocalRun(LocalRunOptions options, EncryptionSettings encryption, LocalTemporal temporal, DownstreamStandIns? downstream, WebApplication app)
    {
        this.options = options;
        Encryption = encryption;
        Temporal = temporal;
        Downstream = downstream;
        App = app;
        Url = app.Urls.First();
    }

    /// <summary>Whether the run encrypts payloads: off unless <c>Encryption:*</c> is configured; <see cref="EncryptionSettings.Describe"/> says so.</summary>
    public EncryptionSettings Encryption { get; }

    public LocalTemporal Temporal { get; }

    /// <summary>The stand-ins, or null when real endpoints are configured.</summary>
    public DownstreamStandIns? Downstream { get; }

    public WebApplication App { get; }

    /// <summary>Base address of the intake (<c>POST /events</c>), <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>.</summary>
    public string Url { get; }

    public static async Task<LocalRun> StartAsync(LocalRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = options.Args, ContentRootPath = AppContext.BaseDirectory });
        var encryption = ReadEncryption(builder.Configuration, options.Settings);
        var temporal = await LocalTemporal.StartAsync(options.TemporalAddress, options.TemporalNamespace, EventProcessorDataConverter.Create(encryption)).ConfigureAwait(false);
        DownstreamStandIns? downstream = null;
        try
        {
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Urls"] = options.Url,
                ["Temporal:Address"] = temporal.Address,
                ["Temporal:Namespace"] = temporal.Namespace,
                ["Temporal:TaskQueue"] = TaskQueue,
                ["Worker:ShutdownTimeoutSeconds"] = "10",
            };
            if (options.ConsoleLogLevel > LogLevel.Information)
            {
                // Console only: logging providers added by the caller still see everything.
                settings["Logging:Console:LogLevel:Default"] = options.ConsoleLogLevel.ToString();

                // The SDK core warns when a heartbeat it flushes races the activity's completion
                // (the server no longer knows the activity); harmless, and it would bury the table.
                settings["Logging:Console:LogLevel:Temporalio.Core"] = LogLevel.Error.ToString();
            }

            if (string.IsNullOrWhiteSpace(builder.Configuration["Jira:BaseUrl"]))
            {
                downstream = await DownstreamStandIns.StartAsync(cancellationToken).ConfigureAwait(false);
                SampleWorld.Arrange(downstream);
                options.ArrangeWorld?.Invoke(downstream);
                foreach (var (key, value) in downstream.Configuration)
                {
                    settings[key] = value;
                }
            }

            foreach (var (key, value) in options.Settings)
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddWorkerJsonConsole();
            options.ConfigureLogging?.Invoke(builder.Logging);
            builder.Services.AddEventProcessorWorker(builder.Configuration, options.ConfigureWorker);
            builder.Services.AddEventIntake(builder.Configuration);
            var app = builder.Build();
            app.MapWorkerEndpoints();
            app.MapEventIntake("/events");
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var run = new LocalRun(options, encryption, temporal, downstream, app);
            await run.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return run;
        }
        catch
        {
            if (downstream is not null)
            {
                await downstream.DisposeAsync().ConfigureAwait(false);
            }

            await temporal.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Section <c>Encryption</c> as the worker and the intake will read it (<paramref name="settings"/>
    /// over the host's configuration). Local histories stay readable by default: unless the user
    /// configured <c>Encryption:*</c>, <c>Encryption:Enabled=false</c> is added to the host's configuration.
    /// </summary>
    private static EncryptionSettings ReadEncryption(ConfigurationManager configuration, IReadOnlyDictionary<string, string?> settings)
    {
        var configured = configuration.GetSection(EncryptionSettings.SectionName).GetChildren().Any()
            || settings.Keys.Any(k => k.StartsWith(EncryptionSettings.SectionName + ":", StringComparison.OrdinalIgnoreCase));
        if (!configured)
        {
            configuration.AddInMemoryCollection([new($"{EncryptionSettings.SectionName}:Enabled", "false")]);
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build();
        return EncryptionOptions.Read(effective);
    }

    /// <summary>
    /// Sends each sample through the intake and waits for its run before the next, so the
    /// stand-ins' request counts before and after belong to that sample alone.
    /// </summary>
    public async Task<IReadOnlyList<SampleResult>> SendSamplesAsync(CancellationToken cancellationToken = default)
    {
        var registered = EventWorkflows.Types.Select(t => WorkflowDefinition.Create(t).Name).ToHashSet(StringComparer.Ordinal);
        var results = new List<SampleResult>();
        foreach (var sample in SampleFile.Load(options.SamplesDirectory ?? SampleFile.FindDirectory()))
        {
            if (!registered.Contains($"{sample.DetailType}Workflow"))
            {
                results.Add(new SampleResult(sample.DetailType, null, SampleStatus.NotRegistered,
                    $"no workflow {sample.DetailType}Workflow is registered (EventWorkflows.Types)", new Dictionary<string, int>(), TimeSpan.Zero));
                continue;
            }

            results.Add(await SendAsync(options.FreshEventIds ? sample.WithNewEventId() : sample, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Blocks until the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => App.WaitForShutdownAsync(cancellationToken);

    public void WriteEndpoints(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        output.WriteLine($"Intake:    POST {Url}/events   (one EventBridge event or a JSON array)");
        output.WriteLine($"Metrics:   {Url}/metrics    Health: {Url}/healthz    Ready: {Url}/readyz");
        output.WriteLine($"Temporal:  {Temporal.Address} (namespace {Temporal.Namespace}, task queue {TaskQueue}, {(Temporal.IsEmbedded ? "embedded" : "TEMPORAL_ADDRESS")})");
        if (Downstream is { } d)
        {
            output.WriteLine($"Stand-ins: Jira {d.JiraServer.Url}  Platform {d.PlatformServer.Url}  Algolia {d.AlgoliaServer.Url}");
            output.WriteLine($"           HubSpot {d.HubSpotServer.Url}  Pusher {d.PusherServer.Url}  SMTP {d.Smtp.Host}:{d.Smtp.Port}");
        }

        output.WriteLine("Press Ctrl+C to stop.");
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        if (Downstream is not null)
        {
            await Downstream.DisposeAsync().ConfigureAwait(false);
        }

        await Temporal.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<SampleResult> SendAsync(SampleFile sample, CancellationToken cancellationToken)
    {
        var before = Downstream?.RequestCounts;
        var clock = Stopwatch.StartNew();
        using var content = new ByteArrayContent(sample.Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri($"{Url}/events"), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return Row(sample, null, SampleStatus.Rejected, $"intake answered {(int)response.StatusCode}: {body}", before, clock);
        }

        var started = JsonSerializer.Deserialize(body, IntakeJsonContext.Default.IntakeAccepted)!.Workflows.Single();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.SampleTimeout);
        try
        {
            await Temporal.Client.GetWorkflowHandle(started.WorkflowId, started.RunId)
                .GetResultAsync(rpcOptions: new() { CancellationToken = timeout.Token }).ConfigureAwait(false);
            return Row(sample, started.WorkflowId, SampleStatus.Completed, null, before, clock);
        }
        catch (WorkflowFailedException e)
        {
            return Row(sample, started.WorkflowId, SampleStatus.Failed, e.InnerException?.Message ?? e.Message, before, clock);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Row(sample, started.WorkflowId, SampleStatus.TimedOut, $"no result within {options.SampleTimeout.TotalSeconds:F0} s", before, clock);
        }
    }

    private SampleResult Row(SampleFile sample, string? workflowId, SampleStatus status, string? error, IReadOnlyDictionary<string, int>? before, Stopwatch clock)
    {
        var after = Downstream?.RequestCounts;
        var calls = after is null || before is null
            ? new Dictionary<string, int>()
            : after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key), StringComparer.Ordinal);
        return new SampleResult(sample.DetailType, workflowId, status, error, calls, clock.Elapsed);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // The same health checks as /readyz answers.
        var health = App.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTimeOffset.UtcNow + ReadyTimeout;
        while (true)
        {
            var report = await health.CheckHealthAsync(r => r.Tags.Contains(Probes.Ready), cancellationToken).ConfigureAwait(false);
            if (report.Status == HealthStatus.Healthy)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The worker was not ready within {ReadyTimeout.TotalSeconds:F0} s: {Probes.Describe(report)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}
