using System.Text.Json;
using Microsoft.Extensions.Options;
using Temporalio.Activities;
using Temporalio.Client;

namespace EventProcessor.Activities.Coalescing;

/// <summary>The windows of an entity's sync workflow (section <c>Coalescing</c>), handed to it in its input so its timers never depend on the worker's configuration at replay.</summary>
/// <param name="ContinueAsNewAfterEvents">History length after which a sync with waiting requests continues as new.</param>
public sealed record SyncWindows(TimeSpan QuietPeriod, TimeSpan MaxDelay, int ContinueAsNewAfterEvents);

/// <summary>The event run that waits for a sync to cover its change (it is signalled back, by run id, so a re-run is told about its own request only).</summary>
public sealed record SyncWaiter(string WorkflowId, string RunId, string EventId);

/// <summary>Parts of a project's search record a project event asks to refresh.</summary>
public static class ProjectSearchParts
{
    /// <summary><c>reports</c> from the platform's report list.</summary>
    public const string Reports = "reports";

    /// <summary><c>name, status, accountId, plan, updatedAt</c> from the platform's project.</summary>
    public const string Details = "details";

    /// <summary><c>metadata</c> from the platform's project.</summary>
    public const string Metadata = "metadata";

    /// <summary><c>accountId</c> alone from the platform's project.</summary>
    public const string Account = "accountId";

    /// <summary><c>userIds</c> from the platform's user list.</summary>
    public const string Users = "userIds";

    /// <summary><c>stats</c>, carried by the event itself (the platform has no read for it).</summary>
    public const string Stats = "stats";
}

/// <summary>One event's request to a project's search sync.</summary>
/// <param name="Parts">What changed (<see cref="ProjectSearchParts"/>).</param>
/// <param name="EventTime">When the run asked (workflow time, after any read of its own): of several values of one attribute, the latest asked wins.</param>
/// <param name="Known">
/// Attribute values the run already has, by part: <c>stats</c> (only the event has them), and
/// <c>accountId</c> / <c>userIds</c>, which those runs read from the platform anyway for their mail;
/// the sync then writes the latest of them instead of reading the platform once more.
/// </param>
public sealed record ProjectSearchSyncRequest(string ProjectUuid, IReadOnlyList<string> Parts, SyncWaiter Waiter, DateTime EventTime, IReadOnlyDictionary<string, JsonElement>? Known = null);

/// <summary>Input of a ProjectSearchSync run: the project, its windows, and requests carried over from the run before (continue-as-new).</summary>
public sealed record ProjectSearchSyncInput(string ProjectUuid, SyncWindows Windows, IReadOnlyList<ProjectSearchSyncRequest> Pending);

/// <summary>One event's request to a Jira ticket's HubSpot sync: the ticket's fields (<paramref name="ToStatus"/> null, TicketUpdated) or its stage (TicketTransitioned).</summary>
public sealed record TicketSyncRequest(string TicketKey, string? ToStatus, SyncWaiter Waiter, DateTime EventTime);

/// <summary>Input of a HubSpotTicketSync run.</summary>
public sealed record HubSpotTicketSyncInput(string TicketKey, SyncWindows Windows, IReadOnlyList<TicketSyncRequest> Pending);

/// <summary>What the request did: <c>Coalesced</c> false when <c>Coalescing:Enabled</c> is off (the event syncs by itself).</summary>
public sealed record SyncRequested(bool Coalesced, string SyncWorkflowId, SyncWindows Windows);

/// <summary>
/// Hands an event's change to its entity's sync workflow. A workflow cannot signal-with-start
/// another workflow itself (the .NET SDK offers signal-with-start on the client only, and a child
/// workflow has one parent, while a sync serves many events), so this activity does it with the
/// worker's own client (<see cref="ActivityExecutionContext.TemporalClient"/>). Signal-with-start
/// signals the running sync or starts one, atomically, so two events never start two syncs of one
/// entity. Repeating it (a retried attempt) repeats the request; the sync keeps one per waiter run.
/// </summary>
public sealed class CoalescingActivities(IOptions<CoalescingOptions> options)
{
    /// <summary>Workflow types of the sync workflows (src/Workflows/Coalescing).</summary>
    public const string ProjectSearchSyncWorkflowType = "ProjectSearchSyncWorkflow";

    public const string HubSpotTicketSyncWorkflowType = "HubSpotTicketSyncWorkflow";

    /// <summary>The signal a sync workflow receives requests on.</summary>
    public const string RequestSignal = "Request";

    private string Suffix => string.IsNullOrWhiteSpace(options.Value.IdSuffix) ? string.Empty : "-" + options.Value.IdSuffix.Trim();

    /// <summary>The id of a project's search sync: <c>ProjectSearchSync-{projectUuid}</c> (plus <c>Coalescing:IdSuffix</c>).</summary>
    public string ProjectSearchSyncId(string projectUuid) => $"ProjectSearchSync-{projectUuid}{Suffix}";

    /// <summary>The id of a Jira ticket's HubSpot sync: <c>HubSpotTicketSync-{ticketKey}</c> (plus <c>Coalescing:IdSuffix</c>).</summary>
    public string HubSpotTicketSyncId(string ticketKey) => $"HubSpotTicketSync-{ticketKey}{Suffix}";

    [Activity]
    public Task<SyncRequested> RequestProjectSearchSyncAsync(ProjectSearchSyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SignalWithStartAsync(
            ProjectSearchSyncWorkflowType,
            ProjectSearchSyncId(request.ProjectUuid),
            windows => new ProjectSearchSyncInput(request.ProjectUuid, windows, []),
            request,
            $"Search record of project {request.ProjectUuid}");
    }

    [Activity]
    public Task<SyncRequested> RequestHubSpotTicketSyncAsync(TicketSyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SignalWithStartAsync(
            HubSpotTicketSyncWorkflowType,
            HubSpotTicketSyncId(request.TicketKey),
            windows => new HubSpotTicketSyncInput(request.TicketKey, windows, []),
            request,
            $"HubSpot ticket of {request.TicketKey}");
    }

    private async Task<SyncRequested> SignalWithStartAsync(string workflowType, string workflowId, Func<SyncWindows, object> input, object request, string summary)
    {
        var settings = options.Value;
        var windows = new SyncWindows(settings.QuietPeriod, settings.MaxDelay, settings.ContinueAsNewAfterEvents);
        if (!settings.Enabled)
        {
            return new SyncRequested(false, workflowId, windows);
        }

        var context = ActivityExecutionContext.Current;
        await context.TemporalClient.StartWorkflowAsync(
            workflowType,
            [input(windows)],
            new WorkflowOptions(workflowId, context.Info.TaskQueue)
            {
                StartSignal = RequestSignal,
                StartSignalArgs = [request],
                StaticSummary = summary,

                // Signal the running sync, else start one (signal-with-start's own rule; FAIL is not allowed with it).
                IdConflictPolicy = Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.UseExisting,
                Rpc = new RpcOptions { CancellationToken = context.CancellationToken },
            }).ConfigureAwait(false);
        return new SyncRequested(true, workflowId, windows);
    }
}
