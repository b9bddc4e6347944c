using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Search;

namespace EventProcessor.Workflows.Tests.Reports;

/// <summary>The sample: report rpt-58213 of the Acme Retail project changed.</summary>
[Collection(TemporalCollection.Name)]
public sealed class ReportUpdatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string ReportId = "rpt-58213";
    private const string ProjectUuid = TicketScenario.ProjectUuid;
    private const string Index = DownstreamStandIns.ProjectsIndex;

    private static readonly StubPlatformReport Prices = new(ReportId, ProjectUuid, "Daily prices", "active", new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    private static readonly StubPlatformReport Stock = new("rpt-58214", ProjectUuid, "Stock levels", "paused", new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_projects_reports_list_in_search_is_replaced_with_the_platforms_current_list(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ReportUpdatedEvent");

        var result = await harness.RunAsync<ReportsSynced>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        var record = harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!;
        Assert.Equal(ExpectedReports(), record["reports"]!.ToJsonString());
        Assert.Equal("Acme Retail price tracking", record["name"]!.GetValue<string>());
        Assert.Equal(new ReportsSynced(ProjectUuid, 2, result.AlgoliaTaskId), result);
        Assert.True(result.AlgoliaTaskId > 0);

        // The event names the project, so the report itself is not fetched.
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid), "GET"));
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
        var write = Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Equal("false", write.Query!["createIfNotExists"].Single());
        Assert.Equal(["reports"], JsonNode.Parse(write.Body!)!.AsObject().Select(p => p.Key));
        Assert.Single(harness.Downstream.AlgoliaServer.LogEntries);
    }

    [Fact]
    public async Task Without_a_project_in_the_event_the_report_is_fetched_to_find_it()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ReportUpdatedEvent", d => d.Remove("projectUuid"));

        var result = await harness.RunAsync<ReportsSynced>(parsed);

        Assert.Equal(ProjectUuid, result.ProjectUuid);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ReportPath(ReportId), "GET"));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid), "GET"));
        Assert.Equal(ExpectedReports(), harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!["reports"]!.ToJsonString());
    }

    [Fact]
    public async Task A_project_missing_from_search_is_not_created()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Platform.ProjectReports(ProjectUuid, Prices, Stock);

        await harness.RunAsync<ReportsSynced>(SampleEvents.Load("ReportUpdatedEvent"));

        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Null(harness.Downstream.Algolia.RecordOf(Index, ProjectUuid));
    }

    [Fact]
    public async Task Failing_then_recovering_platform_and_Algolia_still_write_the_list_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectReportsPath(ProjectUuid), 429, retryAfterSeconds: 1);
        harness.Downstream.AlgoliaServer.FailNext(AlgoliaStub.PartialPath(Index, ProjectUuid), 503, """{"message":"Service Unavailable","status":503}""");

        var result = await harness.RunAsync<ReportsSynced>(SampleEvents.Load("ReportUpdatedEvent"));

        Assert.Equal(2, result.Reports);
        Assert.Equal(2, harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid)).Count);
        Assert.Equal(2, harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid)).Count);
        Assert.Equal(ExpectedReports(), harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!["reports"]!.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_report_fails_the_run_naming_the_platform_and_the_report_and_search_is_untouched()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ReportUpdatedEvent", d =>
        {
            d["reportId"] = "rpt-404";
            d.Remove("projectUuid");
        });

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("ReportNotFound", cause.ErrorType);
        Assert.Contains("Report rpt-404 does not exist on the platform", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Platform answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
        Assert.Equal(["GetReport"], await Runs.ActivitiesOfAsync(harness, parsed));
    }

    [Fact]
    public async Task An_unknown_project_fails_the_run_naming_the_platform_and_the_project()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("ReportUpdatedEvent", d => d["projectUuid"] = "00000000-0000-0000-0000-000000000404");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("ProjectNotFound", cause.ErrorType);
        Assert.Contains("Project 00000000-0000-0000-0000-000000000404 does not exist on the platform", cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
    }

    private static void Arrange(DownstreamStandIns downstream)
    {
        downstream.Platform.Report(Prices).ProjectReports(ProjectUuid, Prices, Stock);
        downstream.Algolia.Record(Index, ProjectUuid, new JsonObject
        {
            ["name"] = "Acme Retail price tracking",
            ["reports"] = new JsonArray(new JsonObject { ["id"] = "rpt-00001", ["name"] = "Deleted report" }),
        });
    }

    private static string ExpectedReports() => new JsonArray(
        new JsonObject { ["id"] = ReportId, ["name"] = "Daily prices", ["status"] = "active", ["updatedAt"] = "2026-11-20T10:00:00+00:00" },
        new JsonObject { ["id"] = "rpt-58214", ["name"] = "Stock levels", ["status"] = "paused", ["updatedAt"] = "2026-11-19T08:00:00+00:00" }).ToJsonString();
}
