using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>
/// Tells the frontend a run stopped so its progress bar finishes. The payload is absolute
/// (status, percent 100, and the event's <c>seq</c>, so a late or repeated push never moves the
/// bar backwards).
/// </summary>
[Workflow]
public sealed class ReportRunStoppedEventWorkflow : IEventWorkflow<ReportRunStoppedDetail>
{
    [WorkflowRun]
    public Task<Pushed> RunAsync(EventInput<ReportRunStoppedDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        return FrontendPush.ToProjectAsync(
            detail.ProjectUuid,
            "report-stop-progress",
            seq,
            new { reportId = detail.ReportId, runId = detail.RunId, status = "stopped", percent = 100, seq },
            $"run {detail.RunId}");
    }
}
