using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;

namespace EventProcessor.Workflows.Tests.Tickets;

/// <summary>The sample: fields of SUP-1234 changed in Jira; its HubSpot ticket follows.</summary>
[Collection(TemporalCollection.Name)]
public sealed class TicketUpdatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string TicketKey = TicketScenario.TicketKey;

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_HubSpot_ticket_gets_the_Jira_subject_status_priority_and_link(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        Arrange(harness.Downstream);
        var existing = harness.Downstream.HubSpot.Ticket(new Dictionary<string, string>
        {
            ["jira_ticket_key"] = TicketKey,
            ["subject"] = "[SUP-1234] Export stops",
            ["hs_pipeline"] = "0",
            ["hs_pipeline_stage"] = "3",
        });
        var parsed = SampleEvents.Load("TicketUpdatedEvent");

        var result = await harness.RunAsync<TicketUpdatedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Assert.Equal(new TicketUpdatedResult(TicketKey, existing, HubSpotTicketCreated: false), result);
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        AssertMirrored(harness, ticket);

        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath(TicketKey), "GET"));
        Assert.Single(harness.Downstream.JiraServer.LogEntries);
        // One batch upsert keyed by jira_ticket_key updates the ticket: no search, no separate PATCH.
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST"));
        Assert.Single(harness.Downstream.HubSpotServer.LogEntries);
    }

    [Fact]
    public async Task A_ticket_not_yet_in_HubSpot_is_created_there()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);

        var result = await harness.RunAsync<TicketUpdatedResult>(SampleEvents.Load("TicketUpdatedEvent"));

        Assert.True(result.HubSpotTicketCreated);
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        Assert.Equal(result.HubSpotTicketId, ticket.Id);
        AssertMirrored(harness, ticket);
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST"));
    }

    [Fact]
    public async Task Rate_limited_then_recovering_APIs_leave_exactly_one_HubSpot_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        harness.Downstream.Jira.FailNext(JiraStub.IssuePath(TicketKey), 503);
        harness.Downstream.HubSpotServer.FailNext(
            HubSpotStub.TicketsUpsertPath, 429, """{"status":"error","message":"You have reached your secondly limit.","category":"RATE_LIMITS","policyName":"SECONDLY"}""", retryAfterSeconds: 1);

        var result = await harness.RunAsync<TicketUpdatedResult>(SampleEvents.Load("TicketUpdatedEvent"));

        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath(TicketKey)).Count);
        Assert.Equal(2, harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketsUpsertPath).Count);
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        Assert.Equal(result.HubSpotTicketId, ticket.Id);
    }

    [Fact]
    public async Task An_unknown_Jira_ticket_fails_the_run_naming_Jira_and_the_ticket_and_HubSpot_is_untouched()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("TicketUpdatedEvent", d => d["ticketKey"] = "SUP-4040");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("TicketNotFound", cause.ErrorType);
        Assert.Contains("Jira ticket SUP-4040 does not exist", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Jira answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.LogEntries);
        Assert.Empty(harness.Downstream.HubSpotServer.LogEntries);
        Assert.Equal(["GetIssue"], await Runs.ActivitiesOfAsync(harness, parsed));
    }

    [Fact]
    public async Task Refused_HubSpot_credentials_fail_the_run_naming_HubSpot_and_the_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.TicketsUpsertPath, 401, """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketUpdatedEvent"));

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("HubSpotUnauthorized", cause.ErrorType);
        Assert.Contains("HubSpot answered 401", cause.Message, StringComparison.Ordinal);
        Assert.Contains(TicketKey, cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.HubSpotServer.LogEntries);
        Assert.Empty(harness.Downstream.HubSpot.TicketsFor(TicketKey));
    }

    private static void Arrange(DownstreamStandIns downstream) =>
        downstream.Jira.Issue(new StubJiraIssue(TicketKey, "Export stops at 10k rows", "Waiting for support", "High", TicketScenario.Author));

    private static void AssertMirrored(WorkflowHarness harness, StubHubSpotRecord ticket)
    {
        var properties = ticket.Properties;
        Assert.Equal(TicketKey, properties["jira_ticket_key"]);
        Assert.Equal("[SUP-1234] Export stops at 10k rows", properties["subject"]);
        Assert.Equal("1", properties["hs_pipeline_stage"]); // "Waiting for support"
        Assert.Equal("0", properties["hs_pipeline"]);
        Assert.Equal("HIGH", properties["hs_ticket_priority"]);
        Assert.Equal($"{harness.Downstream.Jira.BaseUrl}/browse/{TicketKey}", properties["jira_url"]);
    }
}
