using EventProcessor.Activities.HubSpot;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tickets;

/// <summary>What TicketTransitioned did.</summary>
public sealed record TicketTransitionedResult(string TicketKey, string ToStatus, HubSpotStageChange Stage);

/// <summary>
/// Moves the HubSpot ticket to the pipeline stage configured for the new Jira status
/// (<c>Notifications:HubSpotStageByJiraStatus</c>).
/// </summary>
[Workflow]
public sealed class TicketTransitionedEventWorkflow : IEventWorkflow<TicketTransitionedDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The ticket's HubSpot sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<TicketTransitionedResult> RunAsync(EventInput<TicketTransitionedDetail> input)
    {
        var (ticketKey, toStatus) = (input.Detail.TicketKey, input.Detail.ToStatus);
        if (Workflow.Patched(Coalesced.HubSpotTicketPatch) && await sync.HubSpotTicketAsync(ticketKey, input.EventId, toStatus) is { Ticket.Stage: { } moved })
        {
            // The stage of the batch: of several transitions, the newest status (Jira's own when the batch also mirrored the fields).
            return new TicketTransitionedResult(ticketKey, toStatus, moved);
        }

        var stage = await Workflow.ExecuteActivityAsync(
            (HubSpotActivities a) => a.MoveTicketToStageAsync(ticketKey, toStatus),
            ActivityProfiles.HubSpot($"Move the HubSpot ticket of {ticketKey} to the stage of '{toStatus}'"));
        if (!stage.Found)
        {
            // Transitions can arrive before TicketCreated has mirrored the ticket; a retry of the
            // activity cannot help, so the run fails and on-call re-runs it once the ticket exists.
            throw BusinessFailures.Fail("HubSpotTicketMissing", $"No HubSpot ticket carries jira_ticket_key {ticketKey} yet; re-run after TicketCreated has completed.");
        }

        return new TicketTransitionedResult(ticketKey, toStatus, stage);
    }
}
