using EventProcessor.Events.Payloads;
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
    [WorkflowRun]
    public async Task<TicketUpdatedResult> RunAsync(EventInput<TicketUpdatedDetail> input)
    {
        var issue = await HubSpotTicketSync.FetchIssueAsync(input.Detail.TicketKey);
        var ticket = await HubSpotTicketSync.UpsertAsync(issue);
        return new TicketUpdatedResult(issue.Key, ticket.TicketId, ticket.Created);
    }
}
