using System.Diagnostics.CodeAnalysis;
using EventProcessor.Activities.Email;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Notifications;

/// <summary>What a notification step did, for the workflow result.</summary>
public sealed record MailOutcome(IReadOnlyList<string> Mailed, IReadOnlyList<string> AlreadyMailed, IReadOnlyList<RejectedRecipient> Rejected)
{
    public static MailOutcome Nobody { get; } = new([], [], []);
}

/// <summary>
/// Sends one templated mail per recipient in ONE activity (one billed action however many
/// recipients; the activity heartbeats its progress so a retry resumes where it stopped).
/// </summary>
public static class Mailer
{
    /// <summary>Mails <paramref name="mail"/> (its record names the template) to every recipient, about <paramref name="about"/> (for the activity's summary).</summary>
    public static async Task<MailOutcome> SendAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TMail>(
        string eventId, IReadOnlyList<EmailRecipient> recipients, TMail mail, string about)
        where TMail : IMailModel
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return MailOutcome.Nobody;
        }

        var template = TMail.Template;
        var batch = new EmailBatch(template, eventId, recipients, MailModel.Fields(mail));
        var result = await Workflow.ExecuteActivityAsync(
            (EmailActivities a) => a.SendTemplatedAsync(batch),
            ActivityProfiles.Email($"Mail {template} to {recipients.Count} recipient(s) about {about}"));
        return new MailOutcome(result.Sent, result.AlreadySent, result.Rejected);
    }
}
