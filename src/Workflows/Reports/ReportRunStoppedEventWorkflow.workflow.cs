using EventProcessor.Activities.Push;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>What ReportRunStopped pushed.</summary>
public sealed record ProgressPushed(string Channel, string EventName, long Seq);

/// <summary>
/// Tells the frontend a run stopped so its progress bar finishes. The payload is absolute
/// (status, percent 100, and <c>seq</c> = the event's time in Unix milliseconds, so a late or
/// repeated push never moves the bar backwards).
/// </summary>
[Workflow]
public sealed class ReportRunStoppedEventWorkflow
{
    [WorkflowRun]
    public async Task<ProgressPushed> RunAsync(EventInput<ReportRunStoppedDetail> input)
    {
        var detail = input.Detail;
        var seq = input.Time.ToUnixTimeMilliseconds();
        var message = PushMessage.ForProject(detail.ProjectUuid, "report-stop-progress", new
        {
            reportId = detail.ReportId,
            runId = detail.RunId,
            status = "stopped",
            percent = 100,
            seq,
        });
        await Workflow.ExecuteActivityAsync(
            (PushActivities a) => a.TriggerAsync(message),
            ActivityProfiles.Push($"Push report-stop-progress for run {detail.RunId}"));
        return new ProgressPushed(message.Channel, message.EventName, seq);
    }
}
