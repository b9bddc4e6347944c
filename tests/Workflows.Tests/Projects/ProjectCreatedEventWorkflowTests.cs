using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Projects;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Projects;

[Collection(TemporalCollection.Name)]
public sealed class ProjectCreatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "ProjectCreatedEvent";
    private const string NewProjectUuid = "9b1d3c7a-2e44-4f0b-8a6d-1c5e9f7b2d03";

    private static void ArrangeNewProject(DownstreamStandIns downstream) =>
        downstream.Platform
            .Project(new StubPlatformProject(NewProjectUuid, "Helios tariff monitor", AccountId: "acc-3003", Plan: "enterprise",
                UpdatedAt: new DateTimeOffset(2026, 11, 20, 10, 25, 30, TimeSpan.Zero), Metadata: new Dictionary<string, object?> { ["industry"] = "energy" }))
            .ProjectReports(NewProjectUuid, new StubPlatformReport("rpt-70001", NewProjectUuid, "Utility tariffs", "draft"))
            .ProjectUsers(NewProjectUuid, new StubPlatformUser("usr-9", "olivia.brandt@helios-energy.de", "Olivia Brandt", []), new StubPlatformUser("usr-8", null, "Bot", []));

    [Fact]
    public async Task The_new_project_gets_a_complete_search_record()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        ArrangeNewProject(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ProjectIndexed>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(NewProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(NewProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(NewProjectUuid)));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.ObjectPath(CatalogScenario.Index, NewProjectUuid), "PUT"));
        var record = harness.Downstream.Algolia.RecordOf(CatalogScenario.Index, NewProjectUuid)!;
        Assert.Equal(NewProjectUuid, (string?)record["objectID"]);
        Assert.Equal("Helios tariff monitor", (string?)record["name"]);
        Assert.Equal("active", (string?)record["status"]);
        Assert.Equal("acc-3003", (string?)record["accountId"]);
        Assert.Equal("enterprise", (string?)record["plan"]);
        Assert.Equal("energy", (string?)record["metadata"]!["industry"]);
        var report = Assert.Single(record["reports"]!.AsArray())!;
        Assert.Equal("rpt-70001", (string?)report["id"]);
        Assert.Equal("Utility tariffs", (string?)report["name"]);
        Assert.True(JsonNode.DeepEquals(new JsonArray("usr-8", "usr-9"), record["userIds"]));
        Assert.Equal(["accountId", "metadata", "name", "plan", "reports", "status", "updatedAt", "userIds"], result.Attributes);
        Assert.Equal((1, 2), (result.Reports, result.Users));
    }

    [Fact]
    public async Task An_Algolia_outage_is_retried_and_the_record_is_saved_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        ArrangeNewProject(harness.Downstream);
        harness.Downstream.AlgoliaServer.FailNext(AlgoliaStub.ObjectPath(CatalogScenario.Index, NewProjectUuid), 503, """{"message":"Service Unavailable","status":503}""", retryAfterSeconds: 1, method: "PUT");

        await harness.RunAsync<ProjectIndexed>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 2);
        Assert.Equal("Helios tariff monitor", (string?)harness.Downstream.Algolia.RecordOf(CatalogScenario.Index, NewProjectUuid)!["name"]);
    }

    [Fact]
    public async Task A_project_unknown_to_the_platform_fails_clearly_and_writes_nothing()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "ProjectNotFound", $"Project {NewProjectUuid} does not exist on the platform", "Platform answered 404");
        Downstream.AssertRequestCounts(harness, platform: 3);
        Assert.Null(harness.Downstream.Algolia.RecordOf(CatalogScenario.Index, NewProjectUuid));
    }
}
