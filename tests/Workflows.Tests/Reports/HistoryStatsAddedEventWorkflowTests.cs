using System.Text.Json.Nodes;
using EventProcessor.Activities.Algolia;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Reports;

[Collection(TemporalCollection.Name)]
public sealed class HistoryStatsAddedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "HistoryStatsAddedEvent";
    private static readonly JsonNode SampleStats = JsonNode.Parse("""{"runs":31,"rowsTotal":1482210,"avgDurationSeconds":1790.2,"successRate":0.967}""")!;

    [Fact]
    public async Task The_stats_replace_the_search_records_stats_unchanged()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<AlgoliaWriteResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, algolia: 1);
        var request = Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid), "POST"));
        Assert.Equal("false", request.Query!["createIfNotExists"].Single());
        var record = CatalogScenario.SearchRecord(harness.Downstream);
        Assert.True(JsonNode.DeepEquals(SampleStats, record["stats"]), record.ToJsonString());
        Assert.Equal(CatalogScenario.ProjectName, (string?)record["name"]);
        Assert.Equal(["stats"], result.Attributes);
    }

    [Fact]
    public async Task An_Algolia_outage_is_retried_and_the_stats_written_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.AlgoliaServer.FailNext(
            AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid), 503, """{"message":"Service Unavailable","status":503}""", retryAfterSeconds: 1);

        await harness.RunAsync<AlgoliaWriteResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, algolia: 2);
        Assert.True(JsonNode.DeepEquals(SampleStats, CatalogScenario.SearchRecord(harness.Downstream)["stats"]));
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
        Downstream.AssertRequestCounts(harness, algolia: 1);
        Assert.Null(CatalogScenario.SearchRecord(harness.Downstream)["stats"]);
    }
}
