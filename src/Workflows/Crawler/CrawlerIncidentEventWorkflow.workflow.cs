using System.Globalization;
using EventProcessor.Activities.Email;
using EventProcessor.Activities.Jira;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Crawler;

/// <summary>What CrawlerIncident did. <c>OnCallMailed</c>: False for low/medium severity, or when no on-call address is configured. <c>TicketInMail</c>: Whether the page could name the ticket.</summary>
public sealed record CrawlerIncidentResult(string IncidentId, string Severity, JiraIssueResult Ticket, bool OnCallMailed, bool TicketInMail, MailOutcome Mail);

/// <summary>
/// Opens the incident's ticket in the configured incidents project, once: the ticket carries the
/// label <c>incident-{incidentId}</c> and is looked up by it first, so retries and redeliveries find
/// it. Severity <c>high</c> or <c>critical</c> (case-insensitive) also mails the configured on-call
/// list with the <c>crawler-incident</c> template. Paging must not depend on Jira: the page waits at
/// most <see cref="TicketWaitForPage"/> for the ticket and names it with its Jira link when it exists
/// by then; otherwise (Jira slow, down or refusing) it goes without, and a ticket that fails for good
/// fails the run only after on-call was paged. The page is sent for every such event, even when the
/// ticket already existed: a new event for a known incident (e.g. escalated) still deserves a page;
/// a retry does not mail twice (the email activity records whom it mailed). The ticket and the page
/// show the project uuid and report id as the event gives them (no platform read: an incident must be
/// reported even when the platform is what is down).
/// </summary>
[Workflow]
public sealed class CrawlerIncidentEventWorkflow : IEventWorkflow<CrawlerIncidentDetail>
{
    /// <summary>How long a page waits for the ticket to name it.</summary>
    public static readonly TimeSpan TicketWaitForPage = TimeSpan.FromSeconds(30);

    [WorkflowRun]
    public async Task<CrawlerIncidentResult> RunAsync(EventInput<CrawlerIncidentDetail> input)
    {
        var detail = input.Detail;
        var policy = await Policy.GetAsync();
        var severity = detail.Severity.Trim().ToLowerInvariant();
        var ticket = JiraTickets.CreateOnceAsync(
            policy.IncidentProjectKey,
            policy.IssueTypeName,
            $"[{severity.ToUpperInvariant()}] Crawler incident {detail.IncidentId}: {detail.Summary}",
            Description(detail, severity, input),
            $"incident-{detail.IncidentId}");

        if (!IsUrgent(severity) || policy.OnCallEmails.Count == 0)
        {
            return new CrawlerIncidentResult(detail.IncidentId, severity, await ticket, false, false, MailOutcome.Nobody);
        }

        await Workflow.WhenAnyAsync(ticket, Workflow.DelayAsync(TicketWaitForPage));
        var known = ticket.IsCompletedSuccessfully ? await ticket : null;
        var model = new CrawlerIncidentMail(
            detail.IncidentId,
            severity,
            detail.Summary,
            ProjectUuid: detail.ProjectUuid,
            ReportId: detail.ReportId,
            Details: FreeFormText.ForPeople(detail.Details),
            TicketKey: known?.Key,
            TicketUrl: Uri.TryCreate(known?.BrowseUrl, UriKind.Absolute, out var url) ? url : null);
        var mail = await Mailer.SendAsync(
            input.EventId,
            [.. policy.OnCallEmails.Select(e => new EmailRecipient(e))],
            model,
            $"incident {detail.IncidentId}");
        return new CrawlerIncidentResult(detail.IncidentId, severity, await ticket, true, known is not null, mail);
    }

    /// <summary>Severities that page on-call.</summary>
    internal static bool IsUrgent(string severity) => severity is "high" or "critical";

    private static string Description(CrawlerIncidentDetail detail, string severity, EventInput<CrawlerIncidentDetail> input) =>
        string.Join('\n', new[]
        {
            $"Incident {detail.IncidentId} raised by {input.Source} at {input.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.",
            $"Severity: {severity}",
            $"Summary: {detail.Summary}",
            detail.ProjectUuid is { Length: > 0 } project ? $"Project: {project}" : null,
            detail.ReportId is { Length: > 0 } report ? $"Report: {report}" : null,
            FreeFormText.ForTicket("Details", detail.Details),
        }.Where(line => line is not null));
}
