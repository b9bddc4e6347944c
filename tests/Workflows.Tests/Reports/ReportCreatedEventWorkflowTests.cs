using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Search;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Reports;

[Collection(TemporalCollection.Name)]
public sealed class ReportCreatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "ReportCreatedEvent";

    [Fact]
    public async Task The_projects_reports_are_replaced_in_search()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ReportsSynced>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 1, algolia: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid)));
        var reports = CatalogScenario.SearchRecord(harness.Downstream)["reports"]!.AsArray();
        Assert.Equal(["rpt-58213", "rpt-58290"], reports.Select(r => (string?)r!["id"]));
        Assert.Equal("Weekly assortment", (string?)reports[1]!["name"]);
        Assert.Equal(new ReportsSynced(CatalogScenario.ProjectUuid, 2, result.AlgoliaTaskId), result);
    }

    [Fact]
    public async Task Without_a_project_in_the_event_the_reports_project_is_asked_first()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);

        var result = await harness.RunAsync<ReportsSynced>(SampleEvents.Load(Sample, d => d.Remove("projectUuid")));

        Downstream.AssertRequestCounts(harness, platform: 2, algolia: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ReportPath("rpt-58290")));
        Assert.Equal(CatalogScenario.ProjectUuid, result.ProjectUuid);
    }

    [Fact]
    public async Task A_platform_outage_is_retried_and_search_written_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectReportsPath(CatalogScenario.ProjectUuid), 503, retryAfterSeconds: 1);

        await harness.RunAsync<ReportsSynced>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 2, algolia: 1);
        Assert.Equal(2, CatalogScenario.SearchRecord(harness.Downstream)["reports"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_unknown_report_fails_clearly_before_any_sync()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample, d =>
        {
            d.Remove("projectUuid");
            d["reportId"] = "rpt-404";
        }));

        Downstream.AssertBusinessFailure(failure, "ReportNotFound", "Report rpt-404 does not exist on the platform");
        Downstream.AssertRequestCounts(harness, platform: 1);
        Assert.Empty(CatalogScenario.SearchRecord(harness.Downstream)["reports"]!.AsArray());
    }
}
