using System.Text.Json.Nodes;
using EventProcessor.Activities.Jira;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;

namespace EventProcessor.Workflows.Tests.Leads;

/// <summary>The sample: Jun Chen of Northwind Foods booked meeting mtg-77120 for 2026-11-27 15:30 UTC.</summary>
[Collection(TemporalCollection.Name)]
public sealed class MeetingScheduledEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Label = "meeting-mtg-77120";
    private const string LeadBoard = DownstreamStandIns.LeadProjectKey;

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task A_booked_meeting_becomes_one_lead_ticket_on_the_MC_board_with_its_details(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        var parsed = SampleEvents.Load("MeetingScheduledEvent");

        var result = await harness.RunAsync<JiraIssueResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal("MC-1", issue.Key);
        Assert.Equal("Meeting with Jun Chen (Northwind Foods) on 2026-11-27 15:30 UTC", issue.Summary);
        Assert.Equal([Label], issue.Labels);
        var description = PlainText(issue.Fields!["description"]);
        Assert.Contains("Meeting mtg-77120 booked by Jun Chen <j.chen@northwind-foods.com> (Northwind Foods).", description, StringComparison.Ordinal);
        Assert.Contains("Scheduled at: 2026-11-27 15:30 UTC", description, StringComparison.Ordinal);
        Assert.Contains("Notes: Wants competitor price tracking for 40k SKUs, daily.", description, StringComparison.Ordinal);
        Assert.Equal(new JiraIssueResult("MC-1", $"{harness.Downstream.Jira.BaseUrl}/browse/MC-1", AlreadyExisted: false), result);

        // The label lookup on the MC board, then the create; nothing else anywhere.
        var search = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath, "GET"));
        Assert.Contains($"project = \"{LeadBoard}\" AND labels = \"{Label}\"", search.Query!["jql"].Single(), StringComparison.Ordinal);
        var create = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.Contains("\"issuetype\":{\"name\":\"Task\"}", create.Body, StringComparison.Ordinal);
        Assert.Equal(2, harness.Downstream.JiraServer.LogEntries.Count());
        Assert.Equal(0, harness.Downstream.RequestCounts.Where(c => c.Key != "Jira").Sum(c => c.Value));
    }

    [Fact]
    public async Task A_meeting_without_name_company_or_notes_still_reads_well()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("MeetingScheduledEvent", d =>
        {
            d["name"] = " ";
            d.Remove("company");
            d["notes"] = string.Empty;
        });

        await harness.RunAsync<JiraIssueResult>(parsed);

        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal("Meeting with j.chen@northwind-foods.com on 2026-11-27 15:30 UTC", issue.Summary);
        var description = PlainText(issue.Fields!["description"]);
        Assert.Contains("Meeting mtg-77120 booked by j.chen@northwind-foods.com.", description, StringComparison.Ordinal);
        Assert.Contains("No notes were given.", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jira_failing_then_recovering_still_leaves_exactly_one_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Jira.FailNext(JiraStub.CreateIssuePath, 503, method: "POST");
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 429, retryAfterSeconds: 1);
        var parsed = SampleEvents.Load("MeetingScheduledEvent");

        var result = await harness.RunAsync<JiraIssueResult>(parsed);

        Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.False(result.AlreadyExisted);
        var creates = harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST");
        Assert.Equal(2, creates.Count);

        // The 503 left the create's outcome unknown, so the retry kept looking for the label for the
        // whole window (on the stand-ins' clock, which waits take no real time on) before creating again.
        Assert.True(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath, "GET").Count > 3);
        var apart = creates[1].DateTime - creates[0].DateTime + harness.Downstream.Clock.Offset;
        Assert.True(apart >= TimeSpan.FromSeconds(119), $"created again {apart} after the first create");
    }

    [Fact]
    public async Task A_very_long_name_still_makes_a_ticket_with_a_one_line_summary_Jira_accepts()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("MeetingScheduledEvent", d => d["name"] = string.Concat(Enumerable.Repeat("Jun Chen-Northwind ", 20)));

        await harness.RunAsync<JiraIssueResult>(parsed);

        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(255, issue.Summary.Length);
        Assert.StartsWith("Meeting with Jun Chen-Northwind", issue.Summary, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
    }

    [Fact]
    public async Task A_retry_after_Jira_created_the_ticket_finds_it_by_label_instead_of_creating_another()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        // What a lost answer to the create leaves behind: the labelled ticket exists.
        harness.Downstream.Jira.Issue(new StubJiraIssue("MC-7", "Meeting with Jun Chen", Labels: [Label]));
        var result = await harness.RunAsync<JiraIssueResult>(SampleEvents.Load("MeetingScheduledEvent"));

        Assert.Equal("MC-7", result.Key);
        Assert.True(result.AlreadyExisted);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
    }

    [Fact]
    public async Task A_redelivered_or_repeated_booking_does_not_create_a_second_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("MeetingScheduledEvent");
        var first = await harness.RunAsync<JiraIssueResult>(parsed);

        // The same event again (refused by id, then after retention), and the webhook firing twice (new event id).
        await Runs.AssertRedeliveryIsRefusedAsync(harness, parsed);
        var afterRetention = await Runs.RunAgainAfterRetentionAsync<JiraIssueResult>(harness, parsed);
        var repeated = await harness.RunAsync<JiraIssueResult>(SampleEvents.Load("MeetingScheduledEvent"));

        Assert.Equal(first.Key, afterRetention.Key);
        Assert.Equal(first.Key, repeated.Key);
        Assert.True(afterRetention.AlreadyExisted);
        Assert.True(repeated.AlreadyExisted);
        Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
    }

    [Fact]
    public async Task Refused_Jira_credentials_fail_the_run_naming_Jira_and_the_board_and_nothing_is_created()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 401, times: 100);
        var parsed = SampleEvents.Load("MeetingScheduledEvent");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("JiraUnauthorized", cause.ErrorType);
        Assert.Contains("Jira answered 401", cause.Message, StringComparison.Ordinal);
        Assert.Contains($"{Label} in {LeadBoard}", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.LogEntries);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());
    }

    /// <summary>The text of an ADF document, one line per text node.</summary>
    private static string PlainText(JsonNode? adf) => adf switch
    {
        JsonObject node when node["text"] is JsonValue text => text.GetValue<string>(),
        JsonObject node => string.Join('\n', (node["content"]?.AsArray() ?? []).Select(PlainText)),
        _ => string.Empty,
    };
}
