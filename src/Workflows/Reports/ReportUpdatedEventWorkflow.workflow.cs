using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
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
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<ReportsSynced> RunAsync(EventInput<ReportUpdatedDetail> input)
    {
        var projectUuid = await ProjectReportsSync.ProjectOfReportAsync(input.Detail.ReportId, input.Detail.ProjectUuid);
        return Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? await Coalesced.ReportsAsync(sync, projectUuid, input.EventId)
            : await ProjectReportsSync.SyncAsync(projectUuid);
    }
}
