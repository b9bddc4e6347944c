using System.Globalization;
using EventProcessor.Activities.Jira;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Leads;

/// <summary>
/// Creates the lead ticket for a booked meeting on the lead-tracking ("MC") board, exactly once:
/// the ticket carries the label <c>meeting-{meetingId}</c> and is looked up by it before creating.
/// </summary>
[Workflow]
public sealed class MeetingScheduledEventWorkflow : IEventWorkflow<MeetingScheduledDetail>
{
    [WorkflowRun]
    public async Task<JiraIssueResult> RunAsync(EventInput<MeetingScheduledDetail> input)
    {
        var detail = input.Detail;
        var policy = await Policy.GetAsync();
        var name = string.IsNullOrWhiteSpace(detail.Name) ? null : detail.Name.Trim();
        var who = name is null ? detail.Email : $"{name} <{detail.Email}>";
        var company = string.IsNullOrWhiteSpace(detail.Company) ? string.Empty : $" ({detail.Company.Trim()})";
        var when = detail.ScheduledAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var description = string.Join('\n',
            $"Meeting {detail.MeetingId} booked by {who}{company}.",
            $"Scheduled at: {when}",
            FreeFormText.ForTicket("Notes", detail.Notes) ?? "No notes were given.");
        return await JiraTickets.CreateOnceAsync(
            policy.LeadProjectKey,
            policy.IssueTypeName,
            $"Meeting with {name ?? detail.Email}{company} on {when}",
            description,
            $"meeting-{detail.MeetingId}");
    }
}
