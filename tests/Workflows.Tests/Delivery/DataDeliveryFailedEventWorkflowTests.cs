using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Delivery;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Delivery;

[Collection(TemporalCollection.Name)]
public sealed class DataDeliveryFailedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "DataDeliveryFailedEvent";
    private const string Label = "delivery-run-20261120-0007";
    private const string Destination = "s3://acme-retail-exports/prices/";

    // With the worker's workflow cache off, every workflow task replays the history so far.
    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_failure_is_pushed_ticketed_once_and_mailed_to_delivery_failure_subscribers(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<DataDeliveryFailedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, jira: 2, platform: 3, pusher: 1, smtp: 2);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ReportPath("rpt-58213")));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid)));
        Assert.Contains("project = \"SUP\"", Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath, "GET")).Query!["jql"].Single(), StringComparison.Ordinal);

        var push = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(("project-" + CatalogScenario.ProjectUuid, "data-delivery-failed"), (push.Channel, push.Name));
        Assert.Equal(Destination, (string?)push.Payload!["destination"]);
        Assert.Equal("AccessDenied: bucket policy rejects PutObject", (string?)push.Payload["error"]);
        Assert.Equal("delivery-failed", (string?)push.Payload["status"]);

        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(("SUP-1", Label), (issue.Key, Assert.Single(issue.Labels!)));
        Assert.Equal($"Data delivery failed: Daily competitor prices run run-20261120-0007 to {Destination}", issue.Summary);
        var description = issue.Fields!["description"]!.ToJsonString();
        Assert.Contains("Error: AccessDenied: bucket policy rejects PutObject", description, StringComparison.Ordinal);
        Assert.Contains($"Project: {CatalogScenario.ProjectName} ({CatalogScenario.ProjectUuid}), account acc-2002", description, StringComparison.Ordinal);

        var mails = harness.Downstream.Smtp.Messages;
        Assert.Equal(CatalogScenario.FailureSubscribers, mails.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Single(m.To));
        Assert.All(mails, m => Assert.Equal($"Data delivery to {Destination} failed for report Daily competitor prices (run run-20261120-0007)", m.Subject));
        Assert.All(mails, m => Assert.Contains("Error: AccessDenied: bucket policy rejects PutObject", m.Text, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.DoesNotContain("SUP-1", m.Text, StringComparison.Ordinal));
        Assert.Equal((false, 1), (result.Ticket.AlreadyExisted, result.SubscribersWithoutEmail));
    }

    [Fact]
    public async Task A_lost_create_answer_and_a_deferred_mail_are_retried_with_one_ticket_and_one_mail_each()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        Downstream.JiraCreatesButTheAnswerIsLost(harness.Downstream, "SUP-1", Label);
        harness.Downstream.Smtp.FailNextTransactions(1, after: 1);

        var result = await harness.RunAsync<DataDeliveryFailedResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, jira: 3, platform: 3, pusher: 1, smtp: 2);
        Assert.Equal(("SUP-1", true), (result.Ticket.Key, result.Ticket.AlreadyExisted));
        Assert.Equal(CatalogScenario.FailureSubscribers, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.Equal(1, await Downstream.JiraIssuesLabelledAsync(harness.Downstream, Label));
    }

    [Fact]
    public async Task The_same_run_reported_again_finds_its_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);

        var first = await harness.RunAsync<DataDeliveryFailedResult>(SampleEvents.Load(Sample));
        var again = await harness.RunAsync<DataDeliveryFailedResult>(SampleEvents.Load(Sample));

        Assert.Equal(("SUP-1", false), (first.Ticket.Key, first.Ticket.AlreadyExisted));
        Assert.Equal(("SUP-1", true), (again.Ticket.Key, again.Ticket.AlreadyExisted));
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.Equal(1, await Downstream.JiraIssuesLabelledAsync(harness.Downstream, Label));
    }

    [Fact]
    public async Task Refused_Jira_credentials_fail_the_run_naming_Jira_but_subscribers_are_still_told()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 401, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "JiraUnauthorized", "Jira", Label);
        Downstream.AssertRequestCounts(harness, jira: 1, platform: 3, pusher: 1, smtp: 2);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(CatalogScenario.FailureSubscribers, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_report_fails_clearly_before_the_ticket_and_the_mail()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ReportPath("rpt-58213"), 404, times: 100, error: "Report not found", code: "not_found");

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "ReportNotFound", "Report rpt-58213 does not exist on the platform");
        Assert.Empty(harness.Downstream.JiraServer.LogEntries);
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }
}
