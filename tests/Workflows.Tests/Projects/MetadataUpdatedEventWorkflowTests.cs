using System.Text.Json.Nodes;
using EventProcessor.Activities.Algolia;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Projects;

[Collection(TemporalCollection.Name)]
public sealed class MetadataUpdatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "MetadataUpdatedEvent";

    [Fact]
    public async Task The_platform_metadata_replaces_the_search_records_metadata_unchanged()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Algolia.Record(CatalogScenario.Index, CatalogScenario.ProjectUuid, new JsonObject
        {
            ["name"] = CatalogScenario.ProjectName,
            ["metadata"] = new JsonObject { ["industry"] = "food", ["stale"] = true },
        });
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<AlgoliaWriteResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 1, algolia: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid), "POST"));
        var record = CatalogScenario.SearchRecord(harness.Downstream);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"industry":"retail","markets":["DE","AT"]}"""), record["metadata"]), record.ToJsonString());
        Assert.Equal(CatalogScenario.ProjectName, (string?)record["name"]);
        Assert.Equal(["metadata"], result.Attributes);
    }

    [Fact]
    public async Task A_platform_outage_is_retried_and_the_metadata_written_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid), 503, retryAfterSeconds: 1);

        await harness.RunAsync<AlgoliaWriteResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 2, algolia: 1);
        Assert.Equal("retail", (string?)CatalogScenario.SearchRecord(harness.Downstream)["metadata"]!["industry"]);
    }

    [Fact]
    public async Task An_unknown_project_fails_clearly_and_search_is_not_touched()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid), 404, times: 100, error: "Project not found", code: "not_found");

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "ProjectNotFound", $"Project {CatalogScenario.ProjectUuid} does not exist on the platform");
        Downstream.AssertRequestCounts(harness, platform: 1);
        Assert.Null(CatalogScenario.SearchRecord(harness.Downstream)["metadata"]);
    }
}
