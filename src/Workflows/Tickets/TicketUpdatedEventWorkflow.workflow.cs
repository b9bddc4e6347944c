using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tickets;

/// <summary>What TicketUpdated did.</summary>
public sealed record TicketUpdatedResult(string TicketKey, string HubSpotTicketId, bool HubSpotTicketCreated);

/// <summary>
/// Mirrors a Jira ticket's fields onto its HubSpot ticket (found by <c>jira_ticket_key</c>).
/// </summary>
[Workflow]
public sealed class TicketUpdatedEventWorkflow : IEventWorkflow<TicketUpdatedDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The ticket's HubSpot sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<TicketUpdatedResult> RunAsync(EventInput<TicketUpdatedDetail> input)
    {
        if (Workflow.Patched(Coalesced.HubSpotTicketPatch) && await sync.HubSpotTicketAsync(input.Detail.TicketKey, input.EventId, toStatus: null) is { Ticket: { } written })
        {
            return new TicketUpdatedResult(written.TicketKey, written.TicketId!, written.Created);
        }

        var issue = await HubSpotTicketSync.FetchIssueAsync(input.Detail.TicketKey);
        var ticket = await HubSpotTicketSync.UpsertAsync(issue);
        return new TicketUpdatedResult(issue.Key, ticket.TicketId, ticket.Created);
    }
}
