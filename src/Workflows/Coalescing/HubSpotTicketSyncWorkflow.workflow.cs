using EventProcessor.Activities.Coalescing;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Support;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Coalescing;

/// <summary>
/// One Jira ticket's HubSpot ticket, written for a burst of TicketUpdated and TicketTransitioned at
/// once (id <c>HubSpotTicketSync-{ticketKey}</c>); batching as <see cref="ProjectSearchSyncWorkflow"/>.
/// A batch with a TicketUpdated reads the Jira ticket once and upserts the HubSpot ticket (which
/// also sets the stage of its current status); a batch with a TicketTransitioned moves the ticket
/// to the stage of the status: Jira's current one when the batch read it, else the newest event's
/// <c>toStatus</c>. A transition of a ticket HubSpot does not have yet fails as it always has
/// (<c>HubSpotTicketMissing</c>, re-run after TicketCreated).
/// </summary>
[Workflow(CoalescingActivities.HubSpotTicketSyncWorkflowType)]
public sealed class HubSpotTicketSyncWorkflow
{
    private readonly Batcher<TicketSyncRequest> batcher = new(r => r.Waiter);

    [WorkflowSignal(CoalescingActivities.RequestSignal)]
    public Task RequestAsync(TicketSyncRequest request)
    {
        batcher.Add(request);
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task RunAsync(HubSpotTicketSyncInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await batcher.DrainAsync(
            input.Pending,
            input.Windows,
            batch => WriteAsync(input.TicketKey, batch),
            waiting =>
            {
                var next = input with { Pending = waiting };
                return Workflow.CreateContinueAsNewException((HubSpotTicketSyncWorkflow w) => w.RunAsync(next));
            });
    }

    private static async Task<SyncOutcome> WriteAsync(string ticketKey, IReadOnlyList<TicketSyncRequest> batch)
    {
        var info = Workflow.Info;
        try
        {
            string? status = batch.Where(r => r.ToStatus is not null).OrderBy(r => r.EventTime).LastOrDefault()?.ToStatus;
            HubSpotTicketResult? upserted = null;
            if (batch.Any(r => r.ToStatus is null))
            {
                var issue = await HubSpotTicketSync.FetchIssueAsync(ticketKey);
                upserted = await HubSpotTicketSync.UpsertAsync(issue);
                status = status is null ? null : issue.Status;
            }

            HubSpotStageChange? stage = null;
            if (status is not null)
            {
                stage = await Workflow.ExecuteActivityAsync(
                    (HubSpotActivities a) => a.MoveTicketToStageAsync(ticketKey, status),
                    ActivityProfiles.HubSpot($"Move the HubSpot ticket of {ticketKey} to the stage of '{status}'"));
                if (!stage.Found)
                {
                    throw BusinessFailures.Fail("HubSpotTicketMissing", $"No HubSpot ticket carries jira_ticket_key {ticketKey} yet; re-run after TicketCreated has completed.");
                }
            }

            var written = new HubSpotTicketWritten(ticketKey, upserted?.TicketId ?? stage?.TicketId, upserted is not null, upserted?.Created ?? false, stage);
            return new SyncOutcome(info.WorkflowId, info.RunId, null, null, Ticket: written);
        }
        catch (FailureException e)
        {
            return Batcher<TicketSyncRequest>.Failed(e);
        }
    }
}
