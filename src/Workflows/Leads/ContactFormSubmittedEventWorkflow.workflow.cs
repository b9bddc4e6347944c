using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Jira;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Leads;

/// <summary>What ContactFormSubmitted did.</summary>
public sealed record ContactFormSubmittedResult(string SubmissionId, HubSpotContactResult Contact, JiraIssueResult Ticket);

/// <summary>
/// Records a contact-form lead: upserts the HubSpot contact by email (<c>firstname</c>/<c>lastname</c>
/// from the name, <c>company</c>; only what the form gave), then creates the lead ticket on the
/// lead-tracking ("MC") board, the board of MeetingScheduled, exactly once: label
/// <c>contact-{submissionId}</c>, looked up before creating. The ticket quotes the message and names
/// the HubSpot contact id so sales can find the contact. Settings and the upsert run in parallel.
/// </summary>
[Workflow]
public sealed class ContactFormSubmittedEventWorkflow : IEventWorkflow<ContactFormSubmittedDetail>
{
    [WorkflowRun]
    public async Task<ContactFormSubmittedResult> RunAsync(EventInput<ContactFormSubmittedDetail> input)
    {
        var detail = input.Detail;
        var policy = Policy.GetAsync();
        var contact = HubSpotContacts.UpsertAsync(detail.Email, detail.Name, detail.Company);
        await Workflow.WhenAllAsync(policy, contact);

        var name = string.IsNullOrWhiteSpace(detail.Name) ? null : detail.Name.Trim();
        var who = name is null ? detail.Email : $"{name} <{detail.Email}>";
        var company = detail.Company is { Length: > 0 } c ? $" ({c})" : string.Empty;
        var description = string.Join('\n',
            $"Contact form {detail.SubmissionId} sent by {who}{company}.",
            $"HubSpot contact: {(await contact).ContactId}",
            string.Empty,
            detail.Message);
        var ticket = await JiraTickets.CreateOnceAsync(
            (await policy).LeadProjectKey,
            (await policy).IssueTypeName,
            $"Contact form: {name ?? detail.Email}{company}",
            description,
            $"contact-{detail.SubmissionId}");
        return new ContactFormSubmittedResult(detail.SubmissionId, await contact, ticket);
    }
}
