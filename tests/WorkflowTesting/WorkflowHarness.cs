using EventProcessor.Activities;
using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Validation;
using EventProcessor.Testing;
using EventProcessor.Workflows;
using Xunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Worker;

namespace EventProcessor.WorkflowTesting;

/// <summary>
/// One test's world: every downstream stand-in, the real activities wired to them through
/// configuration, and a real Temporal worker (all event workflows) on its own task queue of the
/// shared server. Workflows are started the way the trigger starts them (catalog id, search
/// attributes, summary).
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    private readonly ServiceProvider services;
    private readonly TemporalWorker worker;
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    private WorkflowHarness(TemporalServerFixture temporal, DownstreamStandIns downstream, int? maxCachedWorkflows, TemporalClient client, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Temporal = temporal;
        Downstream = downstream;
        Client = client;
        TaskQueue = TaskQueues.Unique("workflows");

        // Coalescing: no windows by default (a test's one event is written at once, as before
        // coalescing), and sync workflows of this harness's own (ids suffixed with its task queue),
        // so a sync of an earlier test on a task queue nobody polls any more is never signalled.
        var coalescing = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Coalescing:QuietPeriod"] = "00:00:00",
            ["Coalescing:MaxDelay"] = "00:00:00",
            ["Coalescing:IdSuffix"] = TaskQueue,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(downstream.Configuration)
            .AddInMemoryCollection(coalescing).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        // The stand-ins' clock: waits for a lagging search to catch up take no real time.
        services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(downstream.Clock)
            .AddEventProcessorActivities(configuration).BuildServiceProvider(validateScopes: true);

        var options = new TemporalWorkerOptions(TaskQueue);
        if (maxCachedWorkflows is { } cached)
        {
            options.MaxCachedWorkflows = cached;
        }

        foreach (var workflow in EventWorkflows.Types.Concat(EntitySyncWorkflows.Types).Distinct())
        {
            options.AddWorkflow(workflow);
        }

        foreach (var activities in ActivitiesServiceCollectionExtensions.ActivityTypes)
        {
            options.AddAllActivities(activities, services.GetRequiredService(activities));
        }

        worker = new TemporalWorker(client, options);
        running = worker.ExecuteAsync(stop.Token);
    }

    public TemporalServerFixture Temporal { get; }

    public DownstreamStandIns Downstream { get; }

    public string TaskQueue { get; }

    /// <summary>The client of the worker and of the starts: the fixture's, or one with the harness's data converter.</summary>
    public TemporalClient Client { get; }

    /// <param name="dataConverter">When given (e.g. the product's encrypting converter), the worker and every start use a client of their own with it.</param>
    /// <param name="settings">Configuration over the stand-ins' (e.g. <c>Coalescing:QuietPeriod</c>).</param>
    public static async Task<WorkflowHarness> StartAsync(
        TemporalServerFixture temporal, int? maxCachedWorkflows = null, DataConverter? dataConverter = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        var client = dataConverter is null ? temporal.Client : await temporal.ConnectClientAsync(new TemporalClientConnectOptions { DataConverter = dataConverter });
        return new(temporal, await DownstreamStandIns.StartAsync(), maxCachedWorkflows, client, settings);
    }

    /// <summary>
    /// A harness on the time-skipping server (<see cref="TemporalServerFixture.TimeSkippingAsync"/>):
    /// its workflows' timers and retry backoffs are skipped while the test waits for a result.
    /// </summary>
    /// <param name="settings">Configuration over the stand-ins' (e.g. <c>Coalescing:QuietPeriod</c>).</param>
    public static async Task<WorkflowHarness> StartAsync(TemporalServerFixture temporal, TimeSkippingEnvironment timeSkipping, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(timeSkipping);
        return new(temporal, await DownstreamStandIns.StartAsync(), null, timeSkipping.Client, settings);
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
    public Task RecordHistoryAsync(ParsedEvent parsed, string testProject)
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

        worker.Dispose();
        stop.Dispose();
        await services.DisposeAsync();
        await Downstream.DisposeAsync();
    }
}
