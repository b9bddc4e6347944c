using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Reports;

namespace EventProcessor.Workflows.Tests.Reports;

/// <summary>The sample: schema sch-9f31 was generated for report rpt-58213.</summary>
[Collection(TemporalCollection.Name)]
public sealed class ReportSchemaGeneratedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string ReportId = "rpt-58213";

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_platform_is_asked_once_to_sync_the_generated_schema(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        harness.Downstream.Platform.SchemaSync(ReportId, "job-5521");
        var parsed = SampleEvents.Load("ReportSchemaGeneratedEvent");

        var result = await harness.RunAsync<ReportSchemaSynced>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Assert.Equal(new ReportSchemaSynced(ReportId, "sch-9f31", "job-5521"), result);
        var sync = Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath(ReportId), "POST"));
        Assert.Equal($"Bearer {PlatformStub.DefaultToken}", sync.Headers!["Authorization"].Single());
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
        Assert.Equal(1, harness.Downstream.RequestCounts.Values.Sum());
    }

    [Fact]
    public async Task A_platform_outage_is_retried_until_the_sync_is_accepted()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Platform.SchemaSync(ReportId, "job-5521").FailNext(PlatformStub.SchemaSyncPath(ReportId), 503);

        var result = await harness.RunAsync<ReportSchemaSynced>(SampleEvents.Load("ReportSchemaGeneratedEvent"));

        Assert.Equal("job-5521", result.JobId);
        var calls = harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath(ReportId), "POST");
        Assert.Equal(2, calls.Count);
        Assert.Single(harness.Downstream.PlatformServer.LogEntries, e => e.ResponseMessage.StatusCode is 202);
    }

    [Fact]
    public async Task An_unknown_report_fails_the_run_naming_the_platform_and_the_report_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("ReportSchemaGeneratedEvent", d => d["reportId"] = "rpt-404");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("ReportNotFound", cause.ErrorType);
        Assert.Contains("Report rpt-404 does not exist on the platform", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Platform answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath("rpt-404"), "POST"));
    }

    [Fact]
    public async Task Refused_platform_credentials_fail_the_run_naming_the_platform_and_the_report()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Platform.SchemaSync(ReportId, "job-5521").FailNext(PlatformStub.SchemaSyncPath(ReportId), 401, times: 100, error: "Missing or invalid bearer token");
        var parsed = SampleEvents.Load("ReportSchemaGeneratedEvent");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("PlatformUnauthorized", cause.ErrorType);
        Assert.Contains("Platform answered 401", cause.Message, StringComparison.Ordinal);
        Assert.Contains(ReportId, cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
    }
}
