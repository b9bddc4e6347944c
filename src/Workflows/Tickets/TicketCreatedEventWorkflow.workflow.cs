using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tickets;

/// <summary>What TicketCreated did.</summary>
public sealed record TicketCreatedResult(
    string TicketKey,
    string ProjectUuid,
    IReadOnlyList<string> JiraFieldsWritten,
    string HubSpotTicketId,
    bool HubSpotTicketCreated,
    bool AssociatedWithReporter);

/// <summary>
/// Links a new Jira ticket to its platform project: writes the project's properties onto the
/// ticket's configured custom fields, mirrors it to HubSpot and associates the HubSpot ticket with
/// the reporter's contact.
/// </summary>
[Workflow]
public sealed class TicketCreatedEventWorkflow : IEventWorkflow<TicketCreatedDetail>
{
    [WorkflowRun]
    public async Task<TicketCreatedResult> RunAsync(EventInput<TicketCreatedDetail> input)
    {
        var ticketKey = input.Detail.TicketKey;
        var policy = Policy.GetAsync();
        var issue = HubSpotTicketSync.FetchIssueAsync(ticketKey);
        var project = FetchProjectAsync(ticketKey, input.Detail.ProjectUuid);
        await Workflow.WhenAllAsync(policy, issue, project);

        var fields = ProjectFields((await policy).ProjectFields, await project);
        if (fields.Count > 0)
        {
            await Workflow.ExecuteActivityAsync(
                (JiraActivities a) => a.UpdateIssueFieldsAsync(ticketKey, fields),
                ActivityProfiles.Jira($"Write project {(await project).Name} onto {ticketKey}"));
        }

        var ticket = await HubSpotTicketSync.UpsertAsync(await issue);
        var associated = false;
        if ((await issue).ReporterEmail is { Length: > 0 } reporterEmail)
        {
            var ticketId = ticket.TicketId;
            var association = await Workflow.ExecuteActivityAsync(
                (HubSpotActivities a) => a.AssociateTicketWithContactAsync(ticketId, reporterEmail),
                ActivityProfiles.HubSpot($"Associate the HubSpot ticket of {ticketKey} with its reporter"));
            associated = association.Associated;
        }

        return new TicketCreatedResult(ticketKey, (await project).Uuid, [.. fields.Keys.Order(StringComparer.Ordinal)], ticket.TicketId, ticket.Created, associated);
    }

    private static async Task<PlatformProject> FetchProjectAsync(string ticketKey, string? projectUuid)
    {
        if (!string.IsNullOrWhiteSpace(projectUuid))
        {
            return await PlatformLookups.ProjectAsync(projectUuid, $"ticket {ticketKey}");
        }

        return await PlatformLookups.TicketProjectAsync(ticketKey)
            ?? throw BusinessFailures.Fail("TicketHasNoProject", $"Ticket {ticketKey} has no linked platform project and the event named none.");
    }

    private static Dictionary<string, string?> ProjectFields(ProjectFieldMap map, PlatformProject project)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Put(string? field, string? value)
        {
            if (!string.IsNullOrWhiteSpace(field))
            {
                fields[field] = value;
            }
        }

        Put(map.ProjectUuid, project.Uuid);
        Put(map.ProjectName, project.Name);
        Put(map.AccountId, project.AccountId);
        Put(map.Plan, project.Plan);
        return fields;
    }
}
