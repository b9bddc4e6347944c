using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Crawler;

/// <summary>
/// Tells the frontend a run started so its progress bar appears at 0: <c>report-run-started</c>
/// with <c>{reportId, runId, status: "running", percent: 0, seq}</c> (absolute values, safe to
/// receive twice).
/// </summary>
[Workflow]
public sealed class CrawlerRunStartedEventWorkflow : IEventWorkflow<CrawlerRunStartedDetail>
{
    [WorkflowRun]
    public Task<Pushed> RunAsync(EventInput<CrawlerRunStartedDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        return FrontendPush.ToProjectAsync(
            detail.ProjectUuid,
            "report-run-started",
            seq,
            new { detail.ReportId, detail.RunId, status = "running", percent = 0, seq },
            $"run {detail.RunId}");
    }
}
