using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EventProcessor.Activities.Email;

/// <summary>Builds the MIME message for one recipient of a batch.</summary>
public sealed class EmailMessageFactory(IOptions<SmtpOptions> options, TimeProvider time)
{
    /// <summary>
    /// The same (event, template, recipient) always gets the same Message-Id, so a mail sent twice
    /// (the process died between sending and recording it) can be recognised as one by the receiving
    /// side. It is a hash, so it does not reveal the recipient.
    /// </summary>
    public static string MessageId(string eventId, string templateName, string recipientEmail, string domain)
    {
        var key = $"{eventId}\n{templateName}\n{recipientEmail.Trim().ToUpperInvariant()}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return $"{templateName}.{hash}@{domain}";
    }

    public MimeMessage Create(EmailBatch batch, MailboxAddress recipient, RenderedEmail content)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(content);
        var smtp = options.Value;
        var message = new MimeMessage
        {
            Subject = content.Subject,
            MessageId = MessageId(batch.EventId, batch.TemplateName, recipient.Address, smtp.MessageIdDomain),
            Date = time.GetUtcNow(),
            Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.FromAddress));
        message.To.Add(recipient);

        // RFC 3834: tells auto-responders (out-of-office) not to answer a notification.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-EventProcessor-Event-Id", batch.EventId);
        message.Headers.Add("X-EventProcessor-Template", batch.TemplateName);
        return message;
    }
}
