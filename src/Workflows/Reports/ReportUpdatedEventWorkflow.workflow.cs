using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>
/// Replaces the <c>reports</c> list of the report's project in the search index (never creating a
/// missing project record).
/// </summary>
[Workflow]
public sealed class ReportUpdatedEventWorkflow : IEventWorkflow<ReportUpdatedDetail>
{
    [WorkflowRun]
    public async Task<ReportsSynced> RunAsync(EventInput<ReportUpdatedDetail> input)
    {
        var projectUuid = await ProjectReportsSync.ProjectOfReportAsync(input.Detail.ReportId, input.Detail.ProjectUuid);
        return await ProjectReportsSync.SyncAsync(projectUuid);
    }
}
