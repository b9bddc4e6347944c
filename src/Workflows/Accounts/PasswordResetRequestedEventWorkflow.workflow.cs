using System.Globalization;
using EventProcessor.Activities.Email;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Accounts;

/// <summary>What PasswordResetRequested did. Never holds the reset link. <c>Mailed</c>: True when the mail was sent. <c>Skipped</c>: Why no mail was sent (the link had expired), or null.</summary>
public sealed record PasswordResetResult(string UserId, bool Mailed, string? Skipped);

/// <summary>
/// Mails <c>password-reset</c> (link and expiry) to the address of the event. The link is a secret:
/// this workflow never logs it, puts it in a summary or failure, or returns it; only the email
/// activity's input carries it (the activity never logs or returns model values). When the link has
/// already expired at the time the run decides (<c>Workflow.UtcNow</c>, deterministic on replay),
/// nothing is sent and the result says why. A refused address fails the run (<c>MailRejected</c>).
/// </summary>
[Workflow]
public sealed class PasswordResetRequestedEventWorkflow : IEventWorkflow<PasswordResetRequestedDetail>
{
    [WorkflowRun]
    public async Task<PasswordResetResult> RunAsync(EventInput<PasswordResetRequestedDetail> input)
    {
        var detail = input.Detail;
        var now = Workflow.UtcNow;
        if (detail.ExpiresAt <= now)
        {
            return new PasswordResetResult(detail.UserId, false, string.Create(CultureInfo.InvariantCulture,
                $"The reset link expired at {detail.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, before it could be mailed ({now:yyyy-MM-dd HH:mm:ss} UTC); the user must ask again."));
        }

        var link = PersonalMail.Link(detail.ResetUrl, "InvalidResetUrl", $"reset link of user {detail.UserId}");
        await PersonalMail.SendAsync(
            input.EventId,
            new EmailRecipient(detail.Email),
            new PasswordResetMail(link, detail.ExpiresAt),
            $"user {detail.UserId}");
        return new PasswordResetResult(detail.UserId, true, null);
    }
}
