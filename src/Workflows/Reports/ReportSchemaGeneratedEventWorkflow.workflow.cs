using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>What ReportSchemaGenerated did.</summary>
public sealed record ReportSchemaSynced(string ReportId, string? SchemaId, string JobId);

/// <summary>
/// Asks the platform's report service to sync the generated schema (idempotent on the platform
/// side).
/// </summary>
[Workflow]
public sealed class ReportSchemaGeneratedEventWorkflow : IEventWorkflow<ReportSchemaGeneratedDetail>
{
    [WorkflowRun]
    public async Task<ReportSchemaSynced> RunAsync(EventInput<ReportSchemaGeneratedDetail> input)
    {
        var reportId = input.Detail.ReportId;
        var jobId = await Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.SyncReportSchemaAsync(reportId),
                ActivityProfiles.Platform($"Sync the generated schema of report {reportId}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ReportNotFound", $"Report {reportId} does not exist on the platform");
        return new ReportSchemaSynced(reportId, input.Detail.SchemaId, jobId);
    }
}
