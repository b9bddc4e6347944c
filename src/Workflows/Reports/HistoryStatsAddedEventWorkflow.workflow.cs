using EventProcessor.Activities.Algolia;
using EventProcessor.Events.Payloads;
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
    [WorkflowRun]
    public Task<AlgoliaWriteResult> RunAsync(EventInput<HistoryStatsAddedDetail> input) =>
        ProjectSearch.UpdateAsync(input.Detail.ProjectUuid, new { stats = input.Detail.Stats }, $"the stats of report {input.Detail.ReportId}");
}
