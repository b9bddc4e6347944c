using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Crawler;
using EventProcessor.Workflows.Tests.Helpers;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Workflows.Tests.Crawler;

[Collection(TemporalCollection.Name)]
public sealed class CrawlerIncidentEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "CrawlerIncidentEvent";
    private const string Label = "incident-inc-3307";
    private const string OnCall = "oncall@example-platform.com";

    [Fact]
    public async Task A_high_incident_gets_one_ticket_and_pages_on_call()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<CrawlerIncidentResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, jira: 2, smtp: 1);
        var search = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath, "GET"));
        Assert.Contains($"labels = \"{Label}\"", search.Query!["jql"].Single(), StringComparison.Ordinal);
        Assert.Contains("project = \"INC\"", search.Query["jql"].Single(), StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal("INC-1", issue.Key);
        Assert.Equal([Label], issue.Labels);
        Assert.Equal("[HIGH] Crawler incident inc-3307: Proxy pool eu-west exhausted", issue.Summary);
        var description = issue.Fields!["description"]!.ToJsonString();
        Assert.Contains("All 120 residential proxies in eu-west returned 407 since 09:58 UTC.", description, StringComparison.Ordinal);
        Assert.Contains("Project: 3f6c2a9e-8d41-4b7a-9c1e-5a2d7e0b4c91", description, StringComparison.Ordinal);
        Assert.Contains("Report: rpt-58213", description, StringComparison.Ordinal);

        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal([OnCall], mail.EnvelopeTo);
        Assert.Equal("[HIGH] Crawler incident inc-3307 (INC-1): Proxy pool eu-west exhausted", mail.Subject);
        Assert.Contains($"Ticket: INC-1 {harness.Downstream.Jira.BaseUrl}/browse/INC-1", mail.Text, StringComparison.Ordinal);
        Assert.Equal(("INC-1", false, true, true), (result.Ticket.Key, result.Ticket.AlreadyExisted, result.OnCallMailed, result.TicketInMail));
    }

    [Theory]
    [InlineData("low", false)]
    [InlineData("medium", false)]
    [InlineData("critical", true)]
    [InlineData("HIGH", true)]
    public async Task Only_high_and_critical_incidents_page_on_call(string severity, bool paged)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        var result = await harness.RunAsync<CrawlerIncidentResult>(SampleEvents.Load(Sample, d => d["severity"] = severity));

        Downstream.AssertRequestCounts(harness, jira: 2, smtp: paged ? 1 : 0);
        Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(paged, result.OnCallMailed);
        Assert.Equal(paged ? [OnCall] : [], harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo));
    }

    [Fact]
    public async Task A_lost_create_answer_is_retried_without_a_second_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Downstream.JiraCreatesButTheAnswerIsLost(harness.Downstream, "INC-1", Label);

        var result = await harness.RunAsync<CrawlerIncidentResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, jira: 3, smtp: 1);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.Equal(("INC-1", true, true), (result.Ticket.Key, result.Ticket.AlreadyExisted, result.TicketInMail));
        Assert.Contains("(INC-1)", Assert.Single(harness.Downstream.Smtp.MessagesTo(OnCall)).Subject, StringComparison.Ordinal);
        Assert.Equal(1, await Downstream.JiraIssuesLabelledAsync(harness.Downstream, Label));
    }

    [Fact]
    public async Task The_same_incident_delivered_again_finds_its_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        var first = await harness.RunAsync<CrawlerIncidentResult>(SampleEvents.Load(Sample));
        var again = await harness.RunAsync<CrawlerIncidentResult>(SampleEvents.Load(Sample));

        Assert.Equal(("INC-1", false), (first.Ticket.Key, first.Ticket.AlreadyExisted));
        Assert.Equal(("INC-1", true), (again.Ticket.Key, again.Ticket.AlreadyExisted));
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.Equal(1, await Downstream.JiraIssuesLabelledAsync(harness.Downstream, Label));
    }

    [Fact]
    public async Task Refused_Jira_credentials_still_page_on_call_then_fail_the_run_naming_Jira()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 401, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "JiraUnauthorized", "Jira", Label);
        Downstream.AssertRequestCounts(harness, jira: 1, smtp: 1);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());
        var page = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal([OnCall], page.EnvelopeTo);
        Assert.Equal("[HIGH] Crawler incident inc-3307: Proxy pool eu-west exhausted", page.Subject);
        Assert.DoesNotContain("Ticket:", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_Jira_credentials_fail_a_low_incident_naming_Jira_and_mail_nobody()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 401, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample, d => d["severity"] = "low"));

        Downstream.AssertActivityFailure(failure, "JiraUnauthorized", "Jira", Label);
        Downstream.AssertRequestCounts(harness, jira: 1);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());
    }

    /// <summary>
    /// The page's wait (<see cref="CrawlerIncidentEventWorkflow.TicketWaitForPage"/>, 30 s) on the
    /// time-skipping server: Jira rate-limits the ticket's search with a Retry-After beyond the wait,
    /// so the page goes out without the ticket when the wait ends, and the ticket is still opened
    /// once Jira lets us in again. The retry's delay and the wait are skipped, not waited out.
    /// </summary>
    [TimeSkippingFact]
    public async Task A_ticket_later_than_the_pages_wait_pages_without_it_and_is_still_opened()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, await temporal.TimeSkippingAsync());
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 429, retryAfterSeconds: 45);

        var parsed = SampleEvents.Load(Sample);
        var result = await harness.RunAsync<CrawlerIncidentResult>(parsed);

        Assert.Equal(("INC-1", true, false), (result.Ticket.Key, result.OnCallMailed, result.TicketInMail));
        var page = Assert.Single(harness.Downstream.Smtp.MessagesTo(OnCall));
        Assert.Equal("[HIGH] Crawler incident inc-3307: Proxy pool eu-west exhausted", page.Subject);
        Assert.DoesNotContain("Ticket:", page.Text, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.Jira.CreatedIssues());

        // The wait ended (TimerFired) before the Jira activity could complete, on the server's clock.
        var events = (await harness.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync()).Events;
        var started = events.Single(e => e.EventType == EventType.TimerStarted);
        var fired = events.Single(e => e.EventType == EventType.TimerFired);
        var waited = fired.EventTime.ToDateTime() - started.EventTime.ToDateTime();
        Assert.InRange(waited, CrawlerIncidentEventWorkflow.TicketWaitForPage, CrawlerIncidentEventWorkflow.TicketWaitForPage + TimeSpan.FromSeconds(1));
        Assert.True(events.Single(e => e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityType.Name == "CreateIssueOnce").EventId < fired.EventId);
        Assert.Contains(events, e => e.EventType == EventType.ActivityTaskCompleted && e.EventId > fired.EventId);
    }

    /// <summary>The other side of the page's wait: a ticket that comes within it (Retry-After 10 s) is named in the page.</summary>
    [TimeSkippingFact]
    public async Task A_ticket_within_the_pages_wait_is_named_in_the_page()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, await temporal.TimeSkippingAsync());
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 429, retryAfterSeconds: 10);

        var parsed = SampleEvents.Load(Sample);
        var result = await harness.RunAsync<CrawlerIncidentResult>(parsed);

        Assert.Equal(("INC-1", true, true), (result.Ticket.Key, result.OnCallMailed, result.TicketInMail));
        Assert.Contains("(INC-1)", Assert.Single(harness.Downstream.Smtp.MessagesTo(OnCall)).Subject, StringComparison.Ordinal);
        var events = (await harness.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync()).Events;
        Assert.DoesNotContain(events, e => e.EventType == EventType.TimerFired);
    }
}
