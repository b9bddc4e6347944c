using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>What ReportCanceled did.</summary>
public sealed record ReportCanceledResult(ReportsSynced Reports, Pushed Push);

/// <summary>
/// Re-syncs the project's <c>reports</c> in search (the canceled report's status comes from the
/// platform) and pushes <c>report-canceled</c> with <c>{reportId, status: "canceled", seq}</c>; the two
/// are independent and run in parallel.
/// </summary>
[Workflow]
public sealed class ReportCanceledEventWorkflow : IEventWorkflow<ReportCanceledDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<ReportCanceledResult> RunAsync(EventInput<ReportCanceledDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        // Only the search write is coalesced: the push is this event's own.
        var sync = Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? Coalesced.ReportsAsync(this.sync, detail.ProjectUuid, input.EventId)
            : ProjectReportsSync.SyncAsync(detail.ProjectUuid);
        var push = FrontendPush.ToProjectAsync(
            detail.ProjectUuid, "report-canceled", seq, new { detail.ReportId, status = "canceled", seq }, $"report {detail.ReportId}");
        await Workflow.WhenAllAsync(sync, push);
        return new ReportCanceledResult(await sync, await push);
    }
}
