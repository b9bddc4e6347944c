using EventProcessor.Activities.Email;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Support;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Accounts;

/// <summary>What InactiveUserDetected did. <c>MailSkipped</c>: Why no we-miss-you mail was sent, or null.</summary>
public sealed record InactiveUserResult(string UserId, HubSpotContactUpdate Contact, MailOutcome Mail, string? MailSkipped);

/// <summary>
/// Marks an inactive user: sets <c>inactive_since</c> (the event's <c>lastActiveAt</c>, ISO 8601 UTC)
/// on their HubSpot contact, never creating one, and, read in parallel, their platform profile
/// (subscriptions are per user, not in the event); if it subscribes to <c>productUpdates</c>, mails
/// <c>we-miss-you</c> to the profile's email (else the event's), greeting them by name.
/// </summary>
[Workflow]
public sealed class InactiveUserDetectedEventWorkflow : IEventWorkflow<InactiveUserDetectedDetail>
{
    public const string Property = "inactive_since";

    [WorkflowRun]
    public async Task<InactiveUserResult> RunAsync(EventInput<InactiveUserDetectedDetail> input)
    {
        var detail = input.Detail;
        var contact = HubSpotContacts.SetDateTimeAsync(detail.Email, Property, detail.LastActiveAt);
        var user = PlatformLookups.UserAsync(detail.UserId);
        await Workflow.WhenAllAsync(contact, user);

        var profile = await user;
        if (!profile.IsSubscribedTo(PlatformTopics.ProductUpdates))
        {
            return new InactiveUserResult(detail.UserId, await contact, MailOutcome.Nobody, $"User {detail.UserId} is not subscribed to {PlatformTopics.ProductUpdates}.");
        }

        var email = string.IsNullOrWhiteSpace(profile.Email) ? detail.Email : profile.Email;
        var mail = await Mailer.SendAsync(
            input.EventId,
            [new EmailRecipient(email, profile.Name)],
            new WeMissYouMail(DateOnly.FromDateTime(detail.LastActiveAt.UtcDateTime)),
            $"user {detail.UserId}");
        return new InactiveUserResult(detail.UserId, await contact, mail, null);
    }
}
