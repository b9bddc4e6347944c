using EventProcessor.Activities.HubSpot;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Accounts;

/// <summary>
/// Upserts the new user's HubSpot contact by email (<c>firstname</c>/<c>lastname</c> from the name,
/// <c>company</c>; only the properties the event has, so nothing HubSpot knows is blanked). Repeating
/// it updates the same contact.
/// </summary>
[Workflow]
public sealed class UserCreatedEventWorkflow : IEventWorkflow<UserCreatedDetail>
{
    [WorkflowRun]
    public Task<HubSpotContactResult> RunAsync(EventInput<UserCreatedDetail> input) =>
        HubSpotContacts.UpsertAsync(input.Detail.Email, input.Detail.Name, input.Detail.Company);
}
