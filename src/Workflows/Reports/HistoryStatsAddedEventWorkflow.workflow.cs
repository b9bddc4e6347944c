using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Coalescing;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>
/// Copies history stats onto the project's search record: <c>stats</c> is the event's object as the
/// stats service shaped it (e.g. <c>{runs, rowsTotal, avgDurationSeconds, successRate}</c>), passed on
/// unchanged and replacing the attribute whole. The record is per project, so <c>stats</c> holds the
/// stats added last for any of its reports. A project missing from the index is not created.
/// </summary>
[Workflow]
public sealed class HistoryStatsAddedEventWorkflow : IEventWorkflow<HistoryStatsAddedDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public Task<AlgoliaWriteResult> RunAsync(EventInput<HistoryStatsAddedDetail> input)
    {
        var detail = input.Detail;
        Task<AlgoliaWriteResult> Direct() => ProjectSearch.UpdateAsync(detail.ProjectUuid, new { stats = detail.Stats }, $"the stats of report {detail.ReportId}");

        // The stats travel with the request: of a burst, the newest event's are written.
        return Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? Coalesced.ProjectAttributesAsync(sync, detail.ProjectUuid, input.EventId, ProjectSearchParts.Stats, Direct, detail.Stats)
            : Direct();
    }
}
