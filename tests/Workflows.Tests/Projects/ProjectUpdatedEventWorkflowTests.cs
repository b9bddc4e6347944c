using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Projects;

namespace EventProcessor.Workflows.Tests.Projects;

/// <summary>The sample: the Acme Retail project changed on the platform.</summary>
[Collection(TemporalCollection.Name)]
public sealed class ProjectUpdatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string ProjectUuid = TicketScenario.ProjectUuid;
    private const string Index = DownstreamStandIns.ProjectsIndex;

    private static readonly string[] Attributes = ["accountId", "name", "plan", "status", "updatedAt"];

    private static readonly StubPlatformProject Renamed = new(
        ProjectUuid, "Acme Retail EU price tracking", "paused", "acc-2002", Plan: "enterprise", UpdatedAt: new DateTimeOffset(2026, 11, 20, 10, 5, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_projects_name_status_account_plan_and_update_time_are_copied_to_its_search_record(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ProjectUpdatedEvent");

        var result = await harness.RunAsync<ProjectSearchUpdated>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        var record = harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!;
        Assert.Equal("Acme Retail EU price tracking", record["name"]!.GetValue<string>());
        Assert.Equal("paused", record["status"]!.GetValue<string>());
        Assert.Equal("acc-2002", record["accountId"]!.GetValue<string>());
        Assert.Equal("enterprise", record["plan"]!.GetValue<string>());
        Assert.Equal("2026-11-20T10:05:00+00:00", record["updatedAt"]!.GetValue<string>());
        Assert.Equal("""[{"id":"rpt-58213"}]""", record["reports"]!.ToJsonString());
        Assert.Equal(ProjectUuid, result.ProjectUuid);
        Assert.Equal(Attributes, result.Attributes);

        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(ProjectUuid), "GET"));
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
        var write = Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Equal("false", write.Query!["createIfNotExists"].Single());
        Assert.Equal(Attributes, JsonNode.Parse(write.Body!)!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Single(harness.Downstream.AlgoliaServer.LogEntries);
    }

    [Fact]
    public async Task A_project_missing_from_search_is_not_created()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Platform.Project(Renamed);

        await harness.RunAsync<ProjectSearchUpdated>(SampleEvents.Load("ProjectUpdatedEvent"));

        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Null(harness.Downstream.Algolia.RecordOf(Index, ProjectUuid));
    }

    [Fact]
    public async Task Failing_then_recovering_platform_and_Algolia_still_update_the_record_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectPath(ProjectUuid), 503);
        harness.Downstream.AlgoliaServer.FailNext(AlgoliaStub.PartialPath(Index, ProjectUuid), 429, """{"message":"Too many requests","status":429}""", retryAfterSeconds: 1);

        await harness.RunAsync<ProjectSearchUpdated>(SampleEvents.Load("ProjectUpdatedEvent"));

        Assert.Equal(2, harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(ProjectUuid)).Count);
        Assert.Equal(2, harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid)).Count);
        Assert.Equal("Acme Retail EU price tracking", harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_project_fails_the_run_naming_the_platform_and_the_project_and_search_is_untouched()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Algolia.Record(Index, ProjectUuid, new JsonObject { ["name"] = "Acme Retail price tracking" });
        var parsed = SampleEvents.Load("ProjectUpdatedEvent");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("ProjectNotFound", cause.ErrorType);
        Assert.Contains($"Project {ProjectUuid} does not exist on the platform", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Platform answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
        Assert.Equal(["GetProject"], await Runs.ActivitiesOfAsync(harness, parsed));
    }

    private static void Arrange(DownstreamStandIns downstream)
    {
        downstream.Platform.Project(Renamed);
        downstream.Algolia.Record(Index, ProjectUuid, new JsonObject
        {
            ["name"] = "Acme Retail price tracking",
            ["status"] = "active",
            ["accountId"] = "acc-1001",
            ["plan"] = "pro",
            ["reports"] = new JsonArray(new JsonObject { ["id"] = "rpt-58213" }),
        });
    }
}
