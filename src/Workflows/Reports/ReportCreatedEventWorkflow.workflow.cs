using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>
/// Same as ReportUpdated (docs/events.md): replaces the <c>reports</c> list of the report's project in the
/// search index, never creating a missing project record. The project is the event's
/// <c>projectUuid</c>, else the report's as the platform has it.
/// </summary>
[Workflow]
public sealed class ReportCreatedEventWorkflow : IEventWorkflow<ReportCreatedDetail>
{
    [WorkflowRun]
    public async Task<ReportsSynced> RunAsync(EventInput<ReportCreatedDetail> input)
    {
        var projectUuid = await ProjectReportsSync.ProjectOfReportAsync(input.Detail.ReportId, input.Detail.ProjectUuid);
        return await ProjectReportsSync.SyncAsync(projectUuid);
    }
}
