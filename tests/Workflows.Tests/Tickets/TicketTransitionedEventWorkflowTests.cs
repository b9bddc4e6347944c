using EventProcessor.Activities.HubSpot;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;

namespace EventProcessor.Workflows.Tests.Tickets;

/// <summary>The sample: SUP-1234 moved from "Waiting for support" (stage 1) to "In Progress" (stage 2).</summary>
[Collection(TemporalCollection.Name)]
public sealed class TicketTransitionedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string TicketKey = TicketScenario.TicketKey;

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_HubSpot_ticket_moves_to_the_stage_configured_for_the_new_status(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        var ticketId = Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("TicketTransitionedEvent");

        var result = await harness.RunAsync<TicketTransitionedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Assert.Equal(new TicketTransitionedResult(TicketKey, "In Progress", new HubSpotStageChange(true, ticketId, "2", Changed: true)), result);
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        Assert.Equal("2", ticket.Properties["hs_pipeline_stage"]);
        Assert.Equal("0", ticket.Properties["hs_pipeline"]);
        Assert.Equal("[SUP-1234] Export stops at 10k rows", ticket.Properties["subject"]);

        // Read by the unique-value jira_ticket_key (no search lag), then the PATCH.
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketPath(TicketKey), "GET"));
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketPath(ticketId), "PATCH"));
        Assert.Equal(2, harness.Downstream.RequestCounts.Values.Sum());
    }

    [Fact]
    public async Task A_ticket_already_in_the_stage_is_not_written_again()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream, stage: "2");

        var result = await harness.RunAsync<TicketTransitionedResult>(SampleEvents.Load("TicketTransitionedEvent"));

        Assert.False(result.Stage.Changed);
        Assert.Empty(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketPath(result.Stage.TicketId!), "PATCH"));
    }

    [Fact]
    public async Task A_failing_then_recovering_HubSpot_moves_the_ticket_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var ticketId = Arrange(harness.Downstream);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.TicketPath(ticketId), 502, """{"status":"error","message":"Bad gateway","category":"INTERNAL_ERROR"}""", method: "PATCH");

        var result = await harness.RunAsync<TicketTransitionedResult>(SampleEvents.Load("TicketTransitionedEvent"));

        Assert.True(result.Stage.Changed);
        Assert.Equal(2, harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketPath(ticketId), "PATCH").Count);
        Assert.Equal("2", Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey)).Properties["hs_pipeline_stage"]);
    }

    [Fact]
    public async Task Refused_HubSpot_credentials_fail_the_run_naming_HubSpot_and_the_ticket_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.TicketPath(TicketKey), 401, """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketTransitionedEvent"));

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("HubSpotUnauthorized", cause.ErrorType);
        Assert.Contains("HubSpot answered 401", cause.Message, StringComparison.Ordinal);
        Assert.Contains(TicketKey, cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.HubSpotServer.LogEntries);
        Assert.Equal("1", Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey)).Properties["hs_pipeline_stage"]);
    }

    [Fact]
    public async Task A_status_without_a_configured_stage_fails_naming_the_status_and_the_setting()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketTransitionedEvent", d => d["toStatus"] = "Escalated"));

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("HubSpotStageNotMapped", cause.ErrorType);
        Assert.Contains("'Escalated'", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Notifications:HubSpotStageByJiraStatus", cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.HubSpotServer.LogEntries);
    }

    [Fact]
    public async Task A_ticket_HubSpot_does_not_have_yet_fails_the_run_clearly_and_writes_nothing()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketTransitionedEvent"));

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("HubSpotTicketMissing", cause.ErrorType);
        Assert.Contains($"jira_ticket_key {TicketKey}", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.HubSpotServer.LogEntries);
        Assert.Empty(harness.Downstream.HubSpot.TicketsFor(TicketKey));
    }

    private static string Arrange(DownstreamStandIns downstream, string stage = "1") =>
        downstream.HubSpot.Ticket(new Dictionary<string, string>
        {
            ["jira_ticket_key"] = TicketKey,
            ["subject"] = "[SUP-1234] Export stops at 10k rows",
            ["hs_pipeline"] = "0",
            ["hs_pipeline_stage"] = stage,
        });
}
