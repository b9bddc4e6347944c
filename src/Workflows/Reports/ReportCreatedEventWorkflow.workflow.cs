using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
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
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<ReportsSynced> RunAsync(EventInput<ReportCreatedDetail> input)
    {
        var projectUuid = await ProjectReportsSync.ProjectOfReportAsync(input.Detail.ReportId, input.Detail.ProjectUuid);
        return Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? await Coalesced.ReportsAsync(sync, projectUuid, input.EventId)
            : await ProjectReportsSync.SyncAsync(projectUuid);
    }
}
