using EventProcessor.Activities.Email;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Search;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reports;

/// <summary>What ReportRunFailed did. <c>SubscribersWithoutEmail</c>: Users subscribed to <c>runFailures</c> who could not be mailed.</summary>
public sealed record ReportRunFailedResult(string ReportId, string RunId, Pushed Push, ReportsSynced Reports, MailOutcome Mail, int SubscribersWithoutEmail);

/// <summary>
/// Reports a failed run: pushes <c>report-run-failed</c> (<c>{reportId, runId, status: "failed",
/// reason, seq}</c>, the reason cut to 1000 characters), re-syncs the project's <c>reports</c> in
/// search, and mails <c>report-run-failed</c> to the project's users subscribed to <c>runFailures</c>.
/// The mail names the report and the project by name (the report's from the reports the sync reads,
/// the project's from a fetch), falling back to the report id. The push and the three reads run in
/// parallel; then the search write and the mail; the push and the write are awaited last, so neither
/// an Algolia nor a Pusher problem holds up or prevents the mails.
/// </summary>
[Workflow]
public sealed class ReportRunFailedEventWorkflow : IEventWorkflow<ReportRunFailedDetail>
{
    [WorkflowRun]
    public async Task<ReportRunFailedResult> RunAsync(EventInput<ReportRunFailedDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        var push = FrontendPush.ToProjectAsync(
            detail.ProjectUuid,
            "report-run-failed",
            seq,
            new { detail.ReportId, detail.RunId, status = "failed", reason = FrontendPush.Clip(FreeFormText.ForPeople(detail.Reason)), seq },
            $"run {detail.RunId}");
        var reports = PlatformLookups.ProjectReportsAsync(detail.ProjectUuid);
        var subscribers = ProjectSubscribers.FetchAsync(detail.ProjectUuid, PlatformTopics.RunFailures);
        var project = PlatformLookups.ProjectAsync(detail.ProjectUuid);
        await Workflow.WhenAllAsync(reports, subscribers, project);

        var sync = ProjectReportsSync.WriteAsync(detail.ProjectUuid, await reports);
        var reportName = (await reports).FirstOrDefault(r => r.Id == detail.ReportId)?.Name;
        var mail = await Mailer.SendAsync(
            input.EventId,
            (await subscribers).Recipients,
            new ReportRunFailedMail(detail.ReportId, detail.RunId, reportName, (await project).Name, FreeFormText.ForPeople(detail.Reason)),
            $"report {reportName ?? detail.ReportId}");

        // The search write and the push are awaited last: neither must hold up, or by failing prevent, the mails.
        return new ReportRunFailedResult(detail.ReportId, detail.RunId, await push, await sync, mail, (await subscribers).WithoutEmail);
    }
}
