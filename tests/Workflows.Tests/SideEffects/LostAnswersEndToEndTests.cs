using EventProcessor.Activities.Jira;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;

namespace EventProcessor.Workflows.Tests.SideEffects;

/// <summary>
/// The "done when" of the downstream side effects, end to end with the real worker: Jira's and
/// HubSpot's search lag 20 s (Atlassian's search-and-reconcile page: no read-after-write
/// consistency by default; HubSpot's CRM search is eventually consistent) and 40% of their writes
/// are applied but answered 502 (a seeded draw, so every run sees the same faults; the events run
/// one after another so the draw meets the writes in the same order). Every event still completes
/// with exactly one issue, comment or ticket. Waits for search happen on the stand-ins' clock.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class LostAnswersEndToEndTests(TemporalServerFixture temporal)
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task With_search_lagging_20s_and_40_percent_of_writes_lost_every_event_writes_exactly_once_and_completes()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var downstream = harness.Downstream;
        TicketScenario.Arrange(downstream);
        downstream.Jira.SearchLag = Lag;
        downstream.HubSpot.SearchLag = Lag;
        var jiraFaults = StubWriteFaults.Share(0.4, seed: 7);
        var hubSpotFaults = StubWriteFaults.Share(0.4, seed: 11);
        downstream.Jira.WriteFaults = jiraFaults;
        downstream.HubSpot.WriteFaults = hubSpotFaults;

        var meetings = new[] { "mtg-9001", "mtg-9002", "mtg-9003", "mtg-9004" };
        foreach (var meeting in meetings)
        {
            await harness.RunAsync<JiraIssueResult>(SampleEvents.Load("MeetingScheduledEvent", d => d["meetingId"] = meeting));
        }

        var replies = new List<(string EventId, bool Internal)>();
        foreach (var (from, name, body) in new[]
        {
            ("maria.lopez@acme-retail.com", "Maria Lopez", "Still stuck at 10,000 rows."),
            ("sam.agent@example-platform.com", "Sam Agent", "Escalated to the crawler team."),
            ("tom.baker@acme-retail.com", "Tom Baker", "Same here on our account."),
            ("ops@example-platform.com", "Ops", "Fix deployed, please retry."),
        })
        {
            var parsed = SampleEvents.Load("ContactMessageRepliedEvent", d =>
            {
                d["fromEmail"] = from;
                d["fromName"] = name;
                d["bodyText"] = body;
            });
            var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);
            replies.Add((parsed.Envelope.Id, result.InternalNote));
        }

        var updated = await harness.RunAsync<TicketUpdatedResult>(SampleEvents.Load("TicketUpdatedEvent"));
        var transitioned = await harness.RunAsync<TicketTransitionedResult>(SampleEvents.Load("TicketTransitionedEvent"));

        // One lead ticket per meeting, whatever the lost answers.
        var issues = downstream.Jira.CreatedIssues();
        Assert.Equal(meetings.Select(m => $"meeting-{m}").Order(StringComparer.Ordinal), issues.Select(i => Assert.Single(i.Labels!)).Order(StringComparer.Ordinal));

        // One comment per reply event, each marked with its event; internal ones hidden from the customer.
        var added = downstream.Jira.CommentsOf(TicketScenario.TicketKey).Where(c => c.Id != "10042").ToList();
        Assert.Equal(replies.Count, added.Count);
        foreach (var (eventId, isInternal) in replies)
        {
            var comment = Assert.Single(added, c => c.Properties![JiraActivities.EventMarkerKey]!["eventId"]!.GetValue<string>() == eventId);
            Assert.Equal(!isInternal, comment.JsdPublic);
        }

        Assert.Contains(replies, r => r.Internal);

        // One HubSpot twin of the Jira ticket.
        var ticket = Assert.Single(downstream.HubSpot.TicketsFor(TicketScenario.TicketKey));
        Assert.Equal(updated.HubSpotTicketId, ticket.Id);
        Assert.Equal(ticket.Id, transitioned.Stage.TicketId);
        Assert.Equal("2", ticket.Properties["hs_pipeline_stage"]);

        // The faults did strike (the seeds make sure of it), so the guarantees were exercised.
        Assert.True(jiraFaults.Faulted > 0, $"Jira: {jiraFaults.Faulted} of {jiraFaults.Writes} writes lost");
        Assert.True(hubSpotFaults.Faulted > 0, $"HubSpot: {hubSpotFaults.Faulted} of {hubSpotFaults.Writes} writes lost");
    }
}
