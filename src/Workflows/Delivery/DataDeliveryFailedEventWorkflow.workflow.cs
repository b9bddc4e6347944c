using EventProcessor.Activities.Email;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Delivery;

/// <summary>What DataDeliveryFailed did. <c>SubscribersWithoutEmail</c>: Users subscribed to <c>deliveryFailures</c> who could not be mailed.</summary>
public sealed record DataDeliveryFailedResult(string ReportId, string RunId, Pushed Push, JiraIssueResult Ticket, MailOutcome Mail, int SubscribersWithoutEmail);

/// <summary>
/// Reports a failed data delivery. In parallel: settings, the project and the report (for their
/// names), the project's users, and the push <c>data-delivery-failed</c>
/// (<c>{reportId, runId, destination, error, status: "delivery-failed", seq}</c>, the error cut to
/// 1000 characters). Then, in parallel, one ticket per run in the configured support project (label
/// <c>delivery-{runId}</c>, looked up before creating, so retries and redeliveries find it) with
/// everything support needs, and <c>data-delivery-failed</c> to the users subscribed to
/// <c>deliveryFailures</c>, naming the report, the project, the destination and the error. The mail
/// does not wait for the ticket (nor name it: the Jira page is for staff), so Jira being slow or
/// refusing never keeps customers uninformed; the push is awaited last for the same reason.
/// </summary>
[Workflow]
public sealed class DataDeliveryFailedEventWorkflow : IEventWorkflow<DataDeliveryFailedDetail>
{
    [WorkflowRun]
    public async Task<DataDeliveryFailedResult> RunAsync(EventInput<DataDeliveryFailedDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        var policy = Policy.GetAsync();
        var project = PlatformLookups.ProjectAsync(detail.ProjectUuid);
        var report = PlatformLookups.ReportAsync(detail.ReportId);
        var subscribers = ProjectSubscribers.FetchAsync(detail.ProjectUuid, PlatformTopics.DeliveryFailures);
        var push = FrontendPush.ToProjectAsync(
            detail.ProjectUuid,
            "data-delivery-failed",
            seq,
            new { detail.ReportId, detail.RunId, detail.Destination, error = FrontendPush.Clip(FreeFormText.ForPeople(detail.Error)), status = "delivery-failed", seq },
            $"run {detail.RunId}");
        await Workflow.WhenAllAsync(policy, project, report, subscribers);

        var (p, r) = (await project, await report);
        var description = string.Join('\n',
            $"The data of run {detail.RunId} could not be delivered to {detail.Destination}.",
            $"Report: {r.Name} ({r.Id})",
            $"Project: {p.Name} ({p.Uuid}), account {p.AccountId}",
            FreeFormText.ForTicket("Error", detail.Error) ?? "Error: (none given)",
            $"Event {input.EventId} from {input.Source}.");
        var ticket = JiraTickets.CreateOnceAsync(
            (await policy).SupportProjectKey,
            (await policy).IssueTypeName,
            $"Data delivery failed: {r.Name} run {detail.RunId} to {detail.Destination}",
            description,
            $"delivery-{detail.RunId}");
        var mail = Mailer.SendAsync(
            input.EventId,
            (await subscribers).Recipients,
            new DataDeliveryFailedMail(detail.ReportId, detail.RunId, detail.Destination, r.Name, p.Name, FreeFormText.ForPeople(detail.Error)),
            $"report {r.Name}");
        await Workflow.WhenAllAsync(ticket, mail);

        // The push is awaited last: the frontend's notice must not hold up, or by failing prevent, the ticket and the mails.
        return new DataDeliveryFailedResult(detail.ReportId, detail.RunId, await push, await ticket, await mail, (await subscribers).WithoutEmail);
    }
}
