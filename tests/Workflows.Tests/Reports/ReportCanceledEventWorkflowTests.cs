using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Reports;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Reports;

[Collection(TemporalCollection.Name)]
public sealed class ReportCanceledEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "ReportCanceledEvent";

    [Fact]
    public async Task The_reports_are_resynced_and_the_cancel_is_pushed()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.ProjectReports(CatalogScenario.ProjectUuid, CatalogScenario.DailyPrices with { Status = "canceled" }, CatalogScenario.Assortment);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ReportCanceledResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 1, algolia: 1, pusher: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid)));
        Assert.Equal("canceled", (string?)CatalogScenario.SearchRecord(harness.Downstream)["reports"]![0]!["status"]);
        var push = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(("project-" + CatalogScenario.ProjectUuid, "report-canceled"), (push.Channel, push.Name));
        Assert.Equal("rpt-58213", (string?)push.Payload!["reportId"]);
        Assert.Equal("canceled", (string?)push.Payload["status"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 34, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), (long?)push.Payload["seq"]);
        Assert.Equal(2, result.Reports.Reports);
    }

    [Fact]
    public async Task A_rate_limited_push_gateway_is_retried_and_the_cancel_pushed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 429, retryAfterSeconds: 1);

        await harness.RunAsync<ReportCanceledResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 1, algolia: 1, pusher: 2);
        Assert.Single(harness.Downstream.Pusher.Events);
    }

    [Fact]
    public async Task An_unknown_project_fails_clearly_and_search_is_not_touched()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectReportsPath(CatalogScenario.ProjectUuid), 404, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "ProjectNotFound", $"Project {CatalogScenario.ProjectUuid} does not exist on the platform");
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(CatalogScenario.ProjectUuid)));
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
    }
}
