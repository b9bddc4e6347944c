using EventProcessor.Activities;
using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Validation;
using EventProcessor.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Worker;
using Xunit;

namespace EventProcessor.TestSupport;

/// <summary>
/// One test's world, the one way the tests wire the product to its downstream systems: every
/// downstream stand-in (src/DownstreamStubs), the real activities built by the product's own DI
/// (<c>AddEventProcessorActivities</c>) from configuration pointing at them, the stand-ins' clock as
/// the activities' <see cref="TimeProvider"/> (composed by <see cref="ServiceHarness"/>), and (unless started with
/// <see cref="StartWithoutWorkerAsync"/>) a real Temporal worker with every event workflow on its own
/// task queue of the shared server. Workflows are started the way the trigger starts them (catalog
/// id, search attributes, summary).
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    private readonly ServiceHarness product;
    private readonly TemporalWorker? worker;
    private readonly CancellationTokenSource stop = new();
    private readonly Task running = Task.CompletedTask;
    private readonly TemporalServerFixture? temporal;
    private readonly TemporalClient? client;
    private readonly string? taskQueue;

    private WorkflowHarness(
        DownstreamStandIns downstream,
        IReadOnlyDictionary<string, string?>? settings,
        TemporalServerFixture? temporal = null,
        TemporalClient? client = null,
        int? maxCachedWorkflows = null)
    {
        Downstream = downstream;
        // With Temporal, coalescing has no windows by default (a test's one event is written at once,
        // as before coalescing), and sync workflows of this harness's own (ids suffixed with its task
        // queue), so a sync of an earlier test on a task queue nobody polls any more is never signalled.
        taskQueue = temporal is null ? null : TaskQueues.Unique("workflows");
        var coalescing = taskQueue is null ? new Dictionary<string, string?>() : new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Coalescing:QuietPeriod"] = "00:00:00",
            ["Coalescing:MaxDelay"] = "00:00:00",
            ["Coalescing:IdSuffix"] = taskQueue,
        };
        // The stand-ins' clock: waits for a lagging search to catch up take no real time.
        product = new ServiceHarness(downstream.Clock, (collection, configuration) => collection.AddEventProcessorActivities(configuration));
        product.Build(downstream.Configuration, coalescing.Concat(settings ?? new Dictionary<string, string?>()));
        if (temporal is null || client is null)
        {
            return;
        }

        this.temporal = temporal;
        this.client = client;
        var options = new TemporalWorkerOptions(taskQueue!);
        if (maxCachedWorkflows is { } cached)
        {
            options.MaxCachedWorkflows = cached;
        }

        foreach (var workflow in EventWorkflows.Types.Concat(EntitySyncWorkflows.Types).Concat(MaintenanceWorkflows.Types).Distinct())
        {
            options.AddWorkflow(workflow);
        }

        foreach (var activities in ActivitiesServiceCollectionExtensions.ActivityTypes)
        {
            options.AddAllActivities(activities, product.Services.GetRequiredService(activities));
        }

        worker = new TemporalWorker(client, options);
        running = worker.ExecuteAsync(stop.Token);
    }

    public TemporalServerFixture Temporal => temporal ?? throw WithoutWorker();

    public DownstreamStandIns Downstream { get; }

    /// <summary>The clock of the stand-ins and of the activities (<see cref="DownstreamStandIns.Clock"/>).</summary>
    public StandInClock Clock => Downstream.Clock;

    /// <summary>The product's activities and clients, as the worker builds them, pointed at the stand-ins.</summary>
    public IServiceProvider Services => product.Services;

    public string TaskQueue => taskQueue ?? throw WithoutWorker();

    /// <summary>The client of the worker and of the starts: the fixture's, or one with the harness's data converter.</summary>
    public TemporalClient Client => client ?? throw WithoutWorker();

    /// <summary>A service of the product (an activity class, a client), built from the stand-ins' configuration.</summary>
    public T Get<T>()
        where T : notnull => product.Get<T>();

    /// <summary>
    /// The stand-ins, the activities and the clock, without Temporal: for tests that call activities
    /// and clients directly. <paramref name="settings"/> (configuration keys, e.g.
    /// <c>Jira:TimeoutSeconds</c>) override the stand-ins' configuration.
    /// </summary>
    public static async Task<WorkflowHarness> StartWithoutWorkerAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await DownstreamStandIns.StartAsync(), settings);

    /// <param name="dataConverter">When given (e.g. the product's encrypting converter), the worker and every start use a client of their own with it.</param>
    /// <param name="settings">Configuration over the stand-ins' (e.g. <c>Coalescing:QuietPeriod</c>).</param>
    public static async Task<WorkflowHarness> StartAsync(
        TemporalServerFixture temporal, int? maxCachedWorkflows = null, DataConverter? dataConverter = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        var client = dataConverter is null ? temporal.Client : await temporal.ConnectClientAsync(new TemporalClientConnectOptions { DataConverter = dataConverter });
        return new(await DownstreamStandIns.StartAsync(), settings, temporal, client, maxCachedWorkflows);
    }

    /// <summary>
    /// A harness on the time-skipping server (<see cref="TemporalServerFixture.TimeSkippingAsync"/>):
    /// its workflows' timers and retry backoffs are skipped while the test waits for a result.
    /// </summary>
    /// <param name="settings">Configuration over the stand-ins' (e.g. <c>Coalescing:QuietPeriod</c>).</param>
    public static async Task<WorkflowHarness> StartAsync(TemporalServerFixture temporal, TimeSkippingEnvironment timeSkipping, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        ArgumentNullException.ThrowIfNull(timeSkipping);
        return new(await DownstreamStandIns.StartAsync(), settings, temporal, timeSkipping.Client);
    }

    /// <summary>Starts the event's workflow exactly as the trigger does.</summary>
    public Task<WorkflowHandle> StartAsync(ParsedEvent parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return Client.StartWorkflowAsync(
            parsed.WorkflowType,
            [parsed.CreateWorkflowInput()],
            new WorkflowOptions(parsed.WorkflowId, TaskQueue)
            {
                TypedSearchAttributes = parsed.SearchAttributes,
                StaticSummary = parsed.Summary,
                StaticDetails = parsed.Details,
                IdConflictPolicy = Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.UseExisting,
                IdReusePolicy = Temporalio.Api.Enums.V1.WorkflowIdReusePolicy.RejectDuplicate,
            });
    }

    /// <summary>Runs the event's workflow to its result.</summary>
    public async Task<TResult> RunAsync<TResult>(ParsedEvent parsed)
    {
        var handle = await StartAsync(parsed);
        using var timeout = new CancellationTokenSource(ResultTimeout);
        return await handle.GetResultAsync<TResult>(rpcOptions: new() { CancellationToken = timeout.Token });
    }

    /// <summary>Saves the event's (completed) run as the happy-path history of its workflow type, when recording.</summary>
    public Task RecordHistoryAsync(ParsedEvent parsed, string testProject = WorkflowHistories.HistoriesProject)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return WorkflowHistories.SaveIfRecordingAsync(Client.GetWorkflowHandle(parsed.WorkflowId), parsed.WorkflowType, testProject);
    }

    /// <summary>Runs the event's workflow and returns the failure it ends with.</summary>
    public async Task<Temporalio.Exceptions.WorkflowFailedException> RunToFailureAsync(ParsedEvent parsed)
    {
        var handle = await StartAsync(parsed);
        using var timeout = new CancellationTokenSource(ResultTimeout);
        return await Assert.ThrowsAsync<Temporalio.Exceptions.WorkflowFailedException>(
            () => handle.GetResultAsync(rpcOptions: new() { CancellationToken = timeout.Token }));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // The worker stops by cancellation.
        }

        worker?.Dispose();
        stop.Dispose();
        await product.DisposeAsync();
        await Downstream.DisposeAsync();
    }

    private static InvalidOperationException WithoutWorker() =>
        new("This harness was started without a Temporal worker (StartWithoutWorkerAsync); start it with StartAsync(temporal) to run workflows.");
}
