using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Reports;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Reports;

[Collection(TemporalCollection.Name)]
public sealed class ReportRunFailedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "ReportRunFailedEvent";

    // With the worker's workflow cache off, every workflow task replays the history so far.
    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_failure_is_pushed_synced_to_search_and_mailed_to_run_failure_subscribers(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ReportRunFailedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1, pusher: 1, smtp: 2);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid)));

        var push = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(("project-" + CatalogScenario.ProjectUuid, "report-run-failed"), (push.Channel, push.Name));
        Assert.Equal("failed", (string?)push.Payload!["status"]);
        Assert.Equal("run-20261120-0008", (string?)push.Payload["runId"]);
        Assert.Equal("Target site returned HTTP 403 for 92% of requests", (string?)push.Payload["reason"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 29, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), (long?)push.Payload["seq"]);

        var reports = CatalogScenario.SearchRecord(harness.Downstream)["reports"]!.AsArray();
        Assert.Equal(["rpt-58213", "rpt-58290"], reports.Select(r => (string?)r!["id"]));
        Assert.Equal("failed", (string?)reports[0]!["status"]);

        var mails = harness.Downstream.Smtp.Messages;
        Assert.Equal(CatalogScenario.FailureSubscribers, mails.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Single(m.To));
        Assert.All(mails, m => Assert.Equal($"Report Daily competitor prices failed (run run-20261120-0008) in {CatalogScenario.ProjectName}", m.Subject));
        Assert.All(mails, m => Assert.Contains("Reason: Target site returned HTTP 403 for 92% of requests", m.Text, StringComparison.Ordinal));
        Assert.Equal(1, result.SubscribersWithoutEmail);
        Assert.Equal(2, result.Reports.Reports);
    }

    [Fact]
    public async Task A_reason_too_long_for_a_push_is_cut_there_and_mailed_up_to_the_display_limit()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var reason = "Target site returned HTTP 403: " + new string('x', 20_000);

        await harness.RunAsync<ReportRunFailedResult>(SampleEvents.Load(Sample, d => d["reason"] = reason));

        var pushed = (string?)Assert.Single(harness.Downstream.Pusher.Events).Payload!["reason"];
        Assert.Equal(1000, pushed!.Length);
        Assert.StartsWith("Target site returned HTTP 403: xxx", pushed, StringComparison.Ordinal);
        Assert.All(harness.Downstream.Smtp.Messages, m => Assert.Contains(reason[..Events.Payloads.FreeForm.DisplayLimit], m.Text, StringComparison.Ordinal));
        Assert.All(harness.Downstream.Smtp.Messages, m => Assert.Contains(
            $"({reason.Length - Events.Payloads.FreeForm.DisplayLimit} more characters not shown)", m.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_push_outage_and_a_deferred_mail_are_retried_and_each_subscriber_is_mailed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 503, retryAfterSeconds: 1);
        harness.Downstream.Smtp.FailNextTransactions(1, after: 1);

        var result = await harness.RunAsync<ReportRunFailedResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1, pusher: 2, smtp: 2);
        Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(CatalogScenario.FailureSubscribers, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.Equal(2, result.Mail.Mailed.Count + result.Mail.AlreadyMailed.Count);
    }

    [Fact]
    public async Task A_refused_Algolia_key_fails_the_run_naming_Algolia_but_subscribers_are_still_told()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.AlgoliaServer.FailNext(
            AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid), 403, """{"message":"Invalid Application-ID or API key","status":403}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "AlgoliaForbidden", "Algolia", CatalogScenario.ProjectUuid);
        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1, pusher: 1, smtp: 2);
        Assert.Equal(CatalogScenario.FailureSubscribers, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_project_whose_users_cannot_be_found_fails_clearly_and_mails_nobody()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid), 404, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "ProjectNotFound", $"Project {CatalogScenario.ProjectUuid} does not exist on the platform");
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid)));
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }
}
