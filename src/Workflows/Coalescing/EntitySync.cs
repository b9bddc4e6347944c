using EventProcessor.Activities.Coalescing;
using EventProcessor.Workflows.Common;
using Google.Protobuf;
using Temporalio.Api.Failure.V1;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Coalescing;

/// <summary>What a project search sync wrote: one partial update of the record, covering every request of its batch.</summary>
/// <param name="Attributes">The attributes written, in the order written.</param>
/// <param name="Reports">How many reports <c>reports</c> lists (0 when not written).</param>
/// <param name="UserIds">How many ids <c>userIds</c> lists (0 when not written).</param>
public sealed record ProjectSearchWritten(string ProjectUuid, IReadOnlyList<string> Attributes, long AlgoliaTaskId, int Reports, int UserIds, DateTimeOffset? UpdatedAt = null);

/// <summary>What a HubSpot ticket sync wrote.</summary>
/// <param name="Upserted">The ticket's fields were upserted (a TicketUpdated was in the batch): <c>Created</c> says whether that created it.</param>
/// <param name="Stage">The stage move of a batch of transitions only, else null.</param>
public sealed record HubSpotTicketWritten(string TicketKey, string? TicketId, bool Upserted, bool Created, Activities.HubSpot.HubSpotStageChange? Stage);

/// <summary>
/// The sync run's answer to a waiting event run: the change is covered by a write that succeeded
/// (<c>Failure</c> null), or the write failed after its retries.
/// </summary>
/// <param name="SyncWorkflowId">The sync workflow, e.g. <c>ProjectSearchSync-{projectUuid}</c>.</param>
/// <param name="SyncRunId">The run that wrote (or failed to).</param>
/// <param name="Failure">Why the write failed, in the failing step's words; null on success.</param>
/// <param name="FailureType">The failure's error type (e.g. <c>ProjectNotFound</c>).</param>
/// <param name="FailureJson">Temporal's failure of the step, as protobuf JSON, which the event run fails with.</param>
/// <param name="WaiterRunId">The event run the answer is for.</param>
public sealed record SyncOutcome(
    string SyncWorkflowId,
    string SyncRunId,
    string? Failure,
    string? FailureType,
    ProjectSearchWritten? Project = null,
    HubSpotTicketWritten? Ticket = null,
    string? FailureJson = null,
    string? WaiterRunId = null);

/// <summary>
/// The event-run half of coalescing: the signal a sync answers on, and waiting for it. Each event
/// workflow that coalesces holds one and declares the <see cref="CompletedSignal"/> handler (the
/// SDK finds handlers on the workflow class itself).
/// </summary>
public sealed class SyncCompletion
{
    /// <summary>Signal a sync sends each waiting event run once its change is written (or the write failed).</summary>
    public const string CompletedSignal = "SyncCompleted";

    /// <summary>Memo key naming the sync run that wrote the event's change (shown with the run in Temporal UI and by describe).</summary>
    public const string SyncRunMemo = "SyncRun";

    /// <summary>Room for the sync's own steps after its window: platform reads (10 min budget) and the write (up to the slowest vendor budget).</summary>
    private static readonly TimeSpan ProjectSyncBudget = TimeSpan.FromMinutes(10) + TimeSpan.FromMinutes(15);

    private static readonly DefaultFailureConverter FailureConverter = new();

    private SyncOutcome? outcome;

    /// <summary>For the workflow's <c>[WorkflowSignal(SyncCompletion.CompletedSignal)]</c> handler. The first answer to this run counts: a late duplicate (a repeated request) changes nothing.</summary>
    public Task OnCompletedAsync(SyncOutcome answer)
    {
        ArgumentNullException.ThrowIfNull(answer);

        // A reset (re-run) copies the signals of the old run into the new one, the old run's answer
        // among them; only an answer to this run's own request counts.
        if (answer.WaiterRunId is { } runId && runId != Workflow.Info.RunId)
        {
            return Task.CompletedTask;
        }

        outcome ??= answer;
        return Task.CompletedTask;
    }

    /// <summary>Asks the project's search sync to refresh <paramref name="parts"/> and waits until a write covers them; null when coalescing is off (the caller syncs by itself).</summary>
    public async Task<SyncOutcome?> ProjectSearchAsync(string projectUuid, string eventId, IReadOnlyList<string> parts, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? known = null)
    {
        var info = Workflow.Info;
        var request = new ProjectSearchSyncRequest(projectUuid, parts, new SyncWaiter(info.WorkflowId, info.RunId, eventId), Workflow.UtcNow, known);
        var requested = await Workflow.ExecuteActivityAsync(
            (CoalescingActivities a) => a.RequestProjectSearchSyncAsync(request),
            RequestOptions($"Ask the search sync of project {projectUuid} to write {string.Join(", ", parts)}"));
        return requested.Coalesced ? await WaitAsync(requested, ProjectSyncBudget, $"the {string.Join(", ", parts)} of project {projectUuid} in search") : null;
    }

    /// <summary>Asks the ticket's HubSpot sync to mirror its fields (<paramref name="toStatus"/> null) or move its stage; null when coalescing is off.</summary>
    public async Task<SyncOutcome?> HubSpotTicketAsync(string ticketKey, string eventId, string? toStatus)
    {
        var info = Workflow.Info;
        var request = new TicketSyncRequest(ticketKey, toStatus, new SyncWaiter(info.WorkflowId, info.RunId, eventId), Workflow.UtcNow);
        var requested = await Workflow.ExecuteActivityAsync(
            (CoalescingActivities a) => a.RequestHubSpotTicketSyncAsync(request),
            RequestOptions($"Ask the HubSpot sync of {ticketKey} to write {(toStatus is null ? "its fields" : $"the stage of '{toStatus}'")}"));

        // Jira read (30 min budget) and the HubSpot write, whose budget spans a day (its daily rate limit).
        var budget = TimeSpan.FromMinutes(30) + TimeSpan.FromHours(25);
        return requested.Coalesced ? await WaitAsync(requested, budget, $"the HubSpot ticket of {ticketKey}") : null;
    }

    /// <summary>
    /// Waits for the answer, bounded: a batch closes at the latest <c>MaxDelay</c> after its first
    /// request, a request that arrives while a batch is being written waits for the next one, and
    /// each write has its steps' retry budgets; twice window plus budget is more than a healthy sync
    /// ever needs, so running out means the sync is gone (e.g. terminated) and the run says so.
    /// </summary>
    private async Task<SyncOutcome> WaitAsync(SyncRequested requested, TimeSpan budget, string what)
    {
        var bound = (requested.Windows.MaxDelay + budget) * 2;
        if (!await Workflow.WaitConditionAsync(() => outcome is not null, bound))
        {
            throw BusinessFailures.Fail(
                "SyncNotConfirmed",
                $"{requested.SyncWorkflowId} did not confirm writing {what} within {bound}; check that workflow (terminated?) and re-run this one.");
        }

        var answer = outcome!;
        var run = $"{answer.SyncWorkflowId} run {answer.SyncRunId}";
        Workflow.UpsertMemo(MemoUpdate.ValueSet(SyncRunMemo, run));
        if (answer.Failure is { } failure)
        {
            Workflow.CurrentDetails = $"Writing {what} failed in {run}.";

            // The step's own failure (e.g. the activity's, with its error type), so the run reads
            // and is handled exactly as if the step had been its own; re-running it asks again.
            if (answer.FailureJson is { } json)
            {
                throw FailureConverter.ToException(JsonParser.Default.Parse<Failure>(json), Workflow.PayloadConverter);
            }

            throw new ApplicationFailureException($"Writing {what} failed in {run}: {failure}", answer.FailureType ?? "SyncFailed", nonRetryable: true);
        }

        Workflow.CurrentDetails = $"Written by {run}.";
        return answer;
    }

    /// <summary>
    /// An activity, not a local one: a local activity may run again when its workflow task is
    /// replayed before the result is recorded (e.g. the worker keeps no workflows cached), and each
    /// run would hand the sync another request. Its result (windows, sync id) is recorded, so the
    /// workflow replays the same whatever the configuration is later.
    /// </summary>
    private static ActivityOptions RequestOptions(string summary) => new()
    {
        Summary = summary,
        StartToCloseTimeout = ActivityProfiles.HttpStartToClose,
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(10),
        RetryPolicy = new Temporalio.Common.RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromSeconds(30),
            MaximumAttempts = 10,
        },
    };
}
