using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Crawler;

/// <summary>What CrawlerSummaryCalculated published.</summary>
public sealed record CrawlerSummaryPublished(string ProjectUuid, string ReportId, string RunId, long AlgoliaTaskId, Pushed Push);

/// <summary>
/// Publishes the totals of a crawler run: the project's search record gets <c>lastRunSummary</c> =
/// <c>{reportId, runId, rowCount, errorCount, durationSeconds, calculatedAt}</c> (the run that
/// finished last, whichever report it belongs to; <c>calculatedAt</c> is the event's time, so a
/// reader can tell how fresh it is), and the frontend gets <c>crawler-summary</c> with the same
/// totals and <c>seq</c>. Both writes are independent and run in parallel.
/// </summary>
[Workflow]
public sealed class CrawlerSummaryCalculatedEventWorkflow : IEventWorkflow<CrawlerSummaryCalculatedDetail>
{
    [WorkflowRun]
    public async Task<CrawlerSummaryPublished> RunAsync(EventInput<CrawlerSummaryCalculatedDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        var summary = new
        {
            reportId = detail.ReportId,
            runId = detail.RunId,
            rowCount = detail.RowCount,
            errorCount = detail.ErrorCount,
            durationSeconds = detail.DurationSeconds,
            calculatedAt = input.Time.UtcDateTime,
        };
        var write = ProjectSearch.UpdateAsync(detail.ProjectUuid, new { lastRunSummary = summary }, "the last run summary");
        var push = FrontendPush.ToProjectAsync(
            detail.ProjectUuid,
            "crawler-summary",
            seq,
            new { detail.ReportId, detail.RunId, detail.RowCount, detail.ErrorCount, detail.DurationSeconds, seq },
            $"run {detail.RunId}");
        await Workflow.WhenAllAsync(write, push);
        return new CrawlerSummaryPublished(detail.ProjectUuid, detail.ReportId, detail.RunId, (await write).TaskId, await push);
    }
}
