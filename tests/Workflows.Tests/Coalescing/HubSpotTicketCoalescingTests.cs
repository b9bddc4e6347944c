using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;
using Temporalio.Client;

namespace EventProcessor.Workflows.Tests.Coalescing;

/// <summary>
/// A Jira ticket's TicketUpdated and TicketTransitioned in one burst are written to its HubSpot
/// ticket by one HubSpotTicketSync run: Jira read once, one upsert, the stage of Jira's current status.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class HubSpotTicketCoalescingTests(TemporalServerFixture temporal)
{
    private const string TicketKey = TicketScenario.TicketKey;

    [TimeSkippingFact]
    public async Task Updates_and_a_transition_of_one_ticket_read_Jira_once_and_upsert_once()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Coalescing:QuietPeriod"] = "00:00:05",
            ["Coalescing:MaxDelay"] = "00:00:30",
        });

        // Jira has the ticket in "In Progress" already (stage 2); HubSpot still shows stage 1.
        harness.Downstream.Jira.Issue(new StubJiraIssue(TicketKey, "Export stops at 10k rows", "In Progress", "High", TicketScenario.Author));
        var ticketId = harness.Downstream.HubSpot.Ticket(new Dictionary<string, string>
        {
            ["jira_ticket_key"] = TicketKey,
            ["subject"] = "[SUP-1234] Export stops",
            ["hs_pipeline"] = "0",
            ["hs_pipeline_stage"] = "1",
        });

        var handles = new List<WorkflowHandle>();
        foreach (var type in new[] { "TicketUpdatedEvent", "TicketTransitionedEvent", "TicketUpdatedEvent" })
        {
            handles.Add(await harness.StartAsync(SampleEvents.Load(type)));
            await ProjectSearchCoalescingTests.RequestedAsync(handles[^1]);
        }

        var updated = await ProjectSearchCoalescingTests.ResultsAsync<TicketUpdatedResult>([handles[0], handles[2]]);
        var transitioned = await handles[1].GetResultAsync<TicketTransitionedResult>();

        Assert.All(updated, u => Assert.Equal(new TicketUpdatedResult(TicketKey, ticketId, HubSpotTicketCreated: false), u));
        Assert.Equal(("In Progress", ticketId, "2"), (transitioned.ToStatus, transitioned.Stage.TicketId, transitioned.Stage.StageId));
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath(TicketKey), "GET"));
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST"));
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        Assert.Equal("2", ticket.Properties["hs_pipeline_stage"]);
        Assert.Equal("[SUP-1234] Export stops at 10k rows", ticket.Properties["subject"]);

        var syncRun = Assert.Single((await Task.WhenAll(handles.Select(ProjectSearchCoalescingTests.SyncRunOfAsync))).Distinct());
        Assert.StartsWith($"HubSpotTicketSync-{TicketKey}-{harness.TaskQueue} run ", syncRun, StringComparison.Ordinal);
    }
}
