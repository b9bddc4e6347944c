using EventProcessor.Activities.Email.Tests.Support;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Options;
using MimeKit;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.Email.Tests;

/// <summary>The sender against a real SMTP server on loopback: what arrives, and how each failure is classified.</summary>
public sealed class SmtpEmailSenderTests : IAsyncLifetime
{
    private SmtpSink sink = null!;

    public async Task InitializeAsync() => sink = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await sink.DisposeAsync();

    [Fact]
    public async Task Sends_the_message_to_its_single_recipient()
    {
        await using (var session = Sender().OpenSession())
        {
            var delivery = await session.SendAsync(Message("ada@example.org", "[SUP-1234] New comment"), "ada@example.org", CancellationToken.None);
            Assert.Equal(SmtpDelivery.Sent, delivery);
        }

        var mail = Assert.Single(sink.Messages);
        Assert.Equal("notifications@example.com", mail.EnvelopeFrom);
        Assert.Equal(["ada@example.org"], mail.EnvelopeTo);
        Assert.Equal(["ada@example.org"], mail.To);
        Assert.Equal("[SUP-1234] New comment", mail.Subject);
        Assert.Equal("text body", mail.Text?.Trim());
        Assert.Equal("<p>html body</p>", mail.Html?.Trim());
        Assert.Equal("id-1@example.com", mail.MessageId);
    }

    [Fact]
    public async Task One_connection_carries_several_messages_and_survives_a_rejected_recipient()
    {
        sink.RejectRecipient("gone@example.org");
        await using var session = Sender().OpenSession();

        var first = await session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None);
        var rejected = await session.SendAsync(Message("gone@example.org"), "gone@example.org", CancellationToken.None);
        var last = await session.SendAsync(Message("bob@example.org"), "bob@example.org", CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.Sent, first.Status);
        Assert.Equal(SmtpDeliveryStatus.Rejected, rejected.Status);
        Assert.StartsWith("550", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("Mailbox unavailable", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(SmtpDeliveryStatus.Sent, last.Status);
        Assert.Equal(["ada@example.org", "bob@example.org"], sink.Messages.Select(m => m.EnvelopeTo.Single()));
    }

    [Fact]
    public async Task A_recipient_deferred_with_4xx_is_reported_as_deferred()
    {
        sink.RejectRecipient("busy@example.org", 450, "4.2.1 Mailbox busy, try again later");
        await using var session = Sender().OpenSession();

        var delivery = await session.SendAsync(Message("busy@example.org"), "busy@example.org", CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.Deferred, delivery.Status);
        Assert.StartsWith("450", delivery.Reason, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task A_message_refused_with_5xx_after_the_data_is_that_recipients_rejection()
    {
        sink.FailNextTransactions(1, 554, "5.7.1 Message rejected as spam");
        await using var session = Sender().OpenSession();

        var delivery = await session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.Rejected, delivery.Status);
        Assert.Contains("554", delivery.Reason, StringComparison.Ordinal);
        Assert.Contains("rejected as spam", delivery.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_4xx_after_the_data_is_a_retryable_transient_failure()
    {
        sink.FailNextTransactions(1);
        await using var session = Sender().OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.False(failure.NonRetryable);
        Assert.Equal("SmtpTransient", failure.ErrorType);
        Assert.Contains("451", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ada@example.org", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Temporal will retry", failure.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);

        Assert.Equal(SmtpDelivery.Sent, await session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));
    }

    [Fact]
    public async Task A_server_that_is_down_is_a_retryable_unavailable_failure()
    {
        var closedPort = StubServerExtensions.ClosedLoopbackUrl().Port;
        await using var session = Sender(port: closedPort).OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.False(failure.NonRetryable);
        Assert.Equal("SmtpUnavailable", failure.ErrorType);
        Assert.Contains($"127.0.0.1:{closedPort}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("connecting", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_retryable_timeout()
    {
        using var silent = new RawSmtpServer();
        await using var session = Sender(port: silent.Port, timeoutSeconds: 1).OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.False(failure.NonRetryable);
        Assert.Equal("SmtpTimeout", failure.ErrorType);
        Assert.Contains("did not answer within 1 s", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("421 4.3.2 Service not available, closing transmission channel", "SmtpTransient", false)]
    [InlineData("554 5.7.1 No SMTP service here", "SmtpRejected", true)]
    public async Task A_refusal_in_the_greeting_is_classified_by_its_code(string greeting, string errorType, bool nonRetryable)
    {
        using var refusing = new RawSmtpServer(greeting);
        await using var session = Sender(port: refusing.Port).OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.Equal(errorType, failure.ErrorType);
        Assert.Equal(nonRetryable, failure.NonRetryable);
        Assert.Contains(greeting[..3], failure.Message, StringComparison.Ordinal);
        Assert.Contains("connecting", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_in_when_credentials_are_configured()
    {
        await using var secured = await SmtpSink.StartAsync(credentials: new SmtpSinkCredentials("relay-user", "relay-pass"));
        await using (var session = Sender(port: secured.Port, username: "relay-user", password: "relay-pass").OpenSession())
        {
            Assert.Equal(SmtpDelivery.Sent, await session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));
        }

        Assert.Equal("relay-user", Assert.Single(secured.Messages).AuthenticatedUser);
    }

    [Fact]
    public async Task Refused_credentials_are_a_permanent_failure_that_does_not_show_the_password()
    {
        await using var secured = await SmtpSink.StartAsync(credentials: new SmtpSinkCredentials("relay-user", "relay-pass"));
        await using var session = Sender(port: secured.Port, username: "relay-user", password: "wrong-pass-123").OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.True(failure.NonRetryable);
        Assert.Equal("SmtpUnauthorized", failure.ErrorType);
        Assert.Contains("Smtp:Password", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pass-123", failure.ToString(), StringComparison.Ordinal);
        Assert.Empty(secured.Messages);
    }

    [Fact]
    public async Task A_relay_demanding_a_login_that_is_not_configured_is_a_permanent_failure()
    {
        await using var secured = await SmtpSink.StartAsync(credentials: new SmtpSinkCredentials("relay-user", "relay-pass"));
        await using var session = Sender(port: secured.Port).OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.True(failure.NonRetryable);
        Assert.Equal("SmtpUnauthorized", failure.ErrorType);
        Assert.Empty(secured.Messages);
    }

    [Fact]
    public async Task StartTls_against_a_server_without_it_is_a_permanent_misconfiguration()
    {
        await using var session = Sender(security: SmtpSecurity.StartTls).OpenSession();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => session.SendAsync(Message("ada@example.org"), "ada@example.org", CancellationToken.None));

        Assert.True(failure.NonRetryable);
        Assert.Equal("SmtpUnsupported", failure.ErrorType);
        Assert.Contains("Smtp:Security", failure.Message, StringComparison.Ordinal);
    }

    private SmtpEmailSender Sender(int? port = null, int timeoutSeconds = 5, string? username = null, string? password = null, SmtpSecurity security = SmtpSecurity.None) =>
        new(Options.Create(new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = port ?? sink.Port,
            Security = security,
            FromAddress = "notifications@example.com",
            TimeoutSeconds = timeoutSeconds,
            Username = username,
            Password = password,
        }));

    private static MimeMessage Message(string to, string subject = "Subject", string messageId = "id-1@example.com")
    {
        var message = new MimeMessage
        {
            Subject = subject,
            MessageId = messageId,
            Body = new BodyBuilder { TextBody = "text body", HtmlBody = "<p>html body</p>" }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress("Notifications", "notifications@example.com"));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }
}
