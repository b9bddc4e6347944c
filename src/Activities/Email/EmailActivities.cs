using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Logging;
using MimeKit;
using Temporalio.Activities;

namespace EventProcessor.Activities.Email;

/// <summary>
/// Templated email, one message per recipient. Safe to retry: after every recipient the activity
/// heartbeats who has been mailed or refused so far, and a retried attempt (Temporal hands it the
/// last heartbeat details) skips them, so nobody is mailed twice by retries of one activity. The
/// remaining gap, a crash between a server's 250 and the heartbeat, is covered by a stable
/// Message-Id per (event, template, recipient) that receiving systems can deduplicate on.
/// </summary>
public sealed partial class EmailActivities(
    EmailTemplateRenderer renderer,
    EmailMessageFactory messages,
    SmtpEmailSender sender,
    ILogger<EmailActivities> logger)
{
    /// <summary>
    /// Renders <see cref="EmailBatch.TemplateName"/> for each recipient (deduplicated by email,
    /// case-insensitively) and mails each one separately. A model lacking a required field fails the
    /// activity before any mail is sent (non-retryable). A recipient the server refuses for good is
    /// listed in <see cref="EmailBatchResult.Rejected"/> and the others are still mailed; recipients
    /// the server defers (4xx) make the activity fail retryably after the others were handled, and
    /// the retry mails only them. Never logs or returns model values (the password-reset link is one).
    /// </summary>
    [Activity]
    public async Task<EmailBatchResult> SendTemplatedAsync(EmailBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var context = ActivityExecutionContext.Current;
        renderer.Validate(batch.TemplateName, batch.Model);

        var earlier = context.Info.HeartbeatDetails.Count > 0
            ? await context.Info.HeartbeatDetailAtAsync<EmailSendProgress>(0).ConfigureAwait(false)
            : EmailSendProgress.None;
        var earlierSent = new HashSet<string>(earlier.Sent, StringComparer.OrdinalIgnoreCase);
        var earlierRejected = new HashSet<string>(earlier.Rejected.Select(r => r.Email), StringComparer.OrdinalIgnoreCase);
        var sent = new List<string>();
        var alreadySent = new List<string>();
        var rejected = new List<RejectedRecipient>(earlier.Rejected);
        var deferred = new List<RejectedRecipient>();

        // Heartbeats between recipients too: connecting, logging in and one send can together outlast the heartbeat timeout.
        await using (var heartbeat = ActivityHeartbeat.Start(context, earlier.Sent.Count + earlier.Rejected.Count > 0 ? earlier : null))
        await using (var session = sender.OpenSession())
        {
            foreach (var recipient in Distinct(batch.Recipients))
            {
                if (earlierSent.Contains(recipient.Email))
                {
                    alreadySent.Add(recipient.Email);
                    continue;
                }

                if (earlierRejected.Contains(recipient.Email))
                {
                    continue; // already listed in `rejected`
                }

                var delivery = await DeliverAsync(session, batch, recipient, context.CancellationToken).ConfigureAwait(false);
                switch (delivery.Status)
                {
                    case SmtpDeliveryStatus.Sent:
                        sent.Add(recipient.Email);
                        break;
                    case SmtpDeliveryStatus.Rejected:
                        rejected.Add(new RejectedRecipient(recipient.Email, delivery.Reason ?? "rejected"));
                        LogRejected(batch.TemplateName, batch.EventId, recipient.Email, delivery.Reason);
                        break;
                    default:
                        deferred.Add(new RejectedRecipient(recipient.Email, delivery.Reason ?? "deferred"));
                        break;
                }

                // Copies: the SDK may serialize the details after this loop has moved on.
                heartbeat.Report(new EmailSendProgress([.. earlier.Sent, .. sent], [.. rejected]));
            }
        }

        LogBatch(batch.TemplateName, batch.EventId, sent.Count, alreadySent.Count, rejected.Count, deferred.Count);
        if (deferred.Count > 0)
        {
            throw DownstreamFailure.Retryable(DownstreamApi.Smtp, "Transient",
                $"The SMTP server deferred {deferred.Count} recipient(s) of '{batch.TemplateName}' for event {batch.EventId}: "
                + string.Join("; ", deferred.Select(d => $"{d.Email} ({d.Reason})"))
                + $". {sent.Count + alreadySent.Count} recipient(s) are mailed; Temporal will retry the deferred ones only.");
        }

        return new EmailBatchResult(sent, alreadySent, rejected);
    }

    private async Task<SmtpDelivery> DeliverAsync(SmtpEmailSession session, EmailBatch batch, EmailRecipient recipient, CancellationToken cancellationToken)
    {
        if (!TryAddress(recipient, out var address))
        {
            return new SmtpDelivery(SmtpDeliveryStatus.Rejected, "not a valid email address");
        }

        var content = renderer.Render(batch.TemplateName, batch.Model, recipient);
        using var message = messages.Create(batch, address, content);
        return await session.SendAsync(message, recipient.Email, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One recipient per address, compared case-insensitively; the first spelling wins, and a name given by any duplicate is kept.</summary>
    internal static IReadOnlyList<EmailRecipient> Distinct(IEnumerable<EmailRecipient> recipients)
    {
        var byEmail = new Dictionary<string, EmailRecipient>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var recipient in recipients)
        {
            var email = recipient.Email?.Trim() ?? string.Empty;
            var name = string.IsNullOrWhiteSpace(recipient.Name) ? null : recipient.Name.Trim();
            if (byEmail.TryGetValue(email, out var first))
            {
                byEmail[email] = first with { Name = first.Name ?? name };
                continue;
            }

            byEmail[email] = new EmailRecipient(email, name);
            order.Add(email);
        }

        return order.Select(email => byEmail[email]).ToList();
    }

    private static bool TryAddress(EmailRecipient recipient, out MailboxAddress address)
    {
        address = null!;
        if (!MailboxAddress.TryParse(recipient.Email, out var parsed) || !string.IsNullOrEmpty(parsed.Name))
        {
            return false;
        }

        var at = parsed.Address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == parsed.Address.Length - 1)
        {
            return false;
        }

        address = new MailboxAddress(recipient.Name, parsed.Address);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Email {Template} for event {EventId}: {Sent} sent, {AlreadySent} already sent by an earlier attempt, {Rejected} rejected, {Deferred} deferred")]
    private partial void LogBatch(string template, string eventId, int sent, int alreadySent, int rejected, int deferred);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Template} for event {EventId}: the SMTP server rejected {Recipient}: {Reason}")]
    private partial void LogRejected(string template, string eventId, string recipient, string? reason);
}
