using EventProcessor.DownstreamStubs;
using EventProcessor.Testing;
using EventProcessor.Workflows.Catalog.Tests.Support;
using EventProcessor.Workflows.Crawler;
using EventProcessor.WorkflowTesting;

namespace EventProcessor.Workflows.Catalog.Tests.Crawler;

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

        await harness.RecordHistoryAsync(parsed, CatalogScenario.TestProject);
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
}
