using System.Diagnostics.CodeAnalysis;
using EventProcessor.Activities.Email;
using EventProcessor.Workflows.Common;

namespace EventProcessor.Workflows.Notifications;

/// <summary>
/// A mail meant for one person who asked for it or must act on it (an invitation, a reset link).
/// Unlike a notification to a list, it has no purpose once its only recipient is refused, so a
/// permanent refusal fails the run (<c>MailRejected</c>, naming the address and the server's reason)
/// where on-call sees it, instead of completing as if the person had been told.
/// </summary>
public static class PersonalMail
{
    public static async Task<MailOutcome> SendAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TMail>(
        string eventId, EmailRecipient recipient, TMail mail, string about)
        where TMail : IMailModel
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var outcome = await Mailer.SendAsync(eventId, [recipient], mail, about);
        if (outcome.Rejected.FirstOrDefault() is { } refused)
        {
            throw BusinessFailures.Fail(
                "MailRejected", $"The mail server refused {refused.Email} for the {TMail.Template} mail about {about}: {refused.Reason}");
        }

        return outcome;
    }

    /// <summary>
    /// The link as an absolute http(s) URL, or a business failure that does not show it (links in
    /// these mails carry tokens; the reset link is a secret).
    /// </summary>
    public static Uri Link(string value, string errorType, string whose)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var link) && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp))
        {
            return link;
        }

        throw BusinessFailures.Fail(errorType, $"The {whose} is not an absolute http(s) URL (the value is not shown: it carries a token).");
    }
}
