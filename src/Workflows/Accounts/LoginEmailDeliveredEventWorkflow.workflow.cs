using EventProcessor.Activities.HubSpot;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Accounts;

/// <summary>What LoginEmailDelivered did. <c>Skipped</c>: Why nothing was written, or null.</summary>
public sealed record ContactPropertySet(string Email, string Property, bool ContactFound, string? ContactId, string? Skipped);

/// <summary>
/// Sets <c>last_login_email_delivered_at</c> (the event's <c>deliveredAt</c>, ISO 8601 UTC) on the
/// user's HubSpot contact. It never creates a contact (UserCreated does; a missing one may have been
/// deleted on purpose): the run then completes and its result says so.
/// </summary>
[Workflow]
public sealed class LoginEmailDeliveredEventWorkflow : IEventWorkflow<LoginEmailDeliveredDetail>
{
    public const string Property = "last_login_email_delivered_at";

    [WorkflowRun]
    public async Task<ContactPropertySet> RunAsync(EventInput<LoginEmailDeliveredDetail> input)
    {
        var email = input.Detail.Email;
        var update = await HubSpotContacts.SetDateTimeAsync(email, Property, input.Detail.DeliveredAt);
        return new ContactPropertySet(email, Property, update.Found, update.ContactId, update.Found ? null : $"HubSpot has no contact {email}; none is created here.");
    }
}
