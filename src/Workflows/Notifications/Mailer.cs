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
    public static async Task<MailOutcome> SendAsync(
        string template, string eventId, IReadOnlyList<EmailRecipient> recipients, IReadOnlyDictionary<string, string?> model, string about)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return MailOutcome.Nobody;
        }

        var batch = new EmailBatch(template, eventId, recipients, model);
        var result = await Workflow.ExecuteActivityAsync(
            (EmailActivities a) => a.SendTemplatedAsync(batch),
            ActivityProfiles.Email($"Mail {template} to {recipients.Count} recipient(s) about {about}"));
        return new MailOutcome(result.Sent, result.AlreadySent, result.Rejected);
    }
}
