using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Crawler;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Crawler;

[Collection(TemporalCollection.Name)]
public sealed class CrawlerSummaryCalculatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "CrawlerSummaryCalculatedEvent";

    [Fact]
    public async Task The_run_totals_reach_the_search_record_and_the_frontend()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<CrawlerSummaryPublished>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, algolia: 1, pusher: 1);
        var summary = CatalogScenario.SearchRecord(harness.Downstream)["lastRunSummary"]!;
        Assert.Equal("rpt-58213", (string?)summary["reportId"]);
        Assert.Equal("run-20261120-0007", (string?)summary["runId"]);
        Assert.Equal(48211, (long?)summary["rowCount"]);
        Assert.Equal(12, (long?)summary["errorCount"]);
        Assert.Equal(1843.5, (double?)summary["durationSeconds"]);
        Assert.Equal("2026-11-20T10:25:00Z", (string?)summary["calculatedAt"]);
        Assert.Equal(CatalogScenario.ProjectName, (string?)CatalogScenario.SearchRecord(harness.Downstream)["name"]);

        var push = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal($"project-{CatalogScenario.ProjectUuid}", push.Channel);
        Assert.Equal("crawler-summary", push.Name);
        var expectedSeq = new DateTimeOffset(2026, 11, 20, 10, 25, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(expectedSeq, (long?)push.Payload!["seq"]);
        Assert.Equal(48211, (long?)push.Payload["rowCount"]);
        Assert.Equal("run-20261120-0007", (string?)push.Payload["runId"]);
        Assert.Equal(new Pushed(push.Channel, "crawler-summary", expectedSeq), result.Push);
    }

    [Fact]
    public async Task A_push_gateway_outage_is_retried_and_each_write_happens_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 503, retryAfterSeconds: 1);

        await harness.RunAsync<CrawlerSummaryPublished>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, algolia: 1, pusher: 2);
        Assert.Single(harness.Downstream.Pusher.Events);
        Assert.NotNull(CatalogScenario.SearchRecord(harness.Downstream)["lastRunSummary"]);
    }

    [Fact]
    public async Task A_refused_Algolia_key_fails_the_run_naming_Algolia_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.AlgoliaServer.FailNext(
            AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid), 403, """{"message":"Invalid Application-ID or API key","status":403}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "AlgoliaForbidden", "Algolia", CatalogScenario.ProjectUuid);
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid)));
        Assert.Null(CatalogScenario.SearchRecord(harness.Downstream)["lastRunSummary"]);
    }
}
