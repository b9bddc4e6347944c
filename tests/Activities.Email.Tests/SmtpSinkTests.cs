using EventProcessor.DownstreamStubs;
using MailKit.Net.Smtp;
using MimeKit;

namespace EventProcessor.Activities.Email.Tests;

/// <summary>The stub other suites (workflow tests, the local run) rely on.</summary>
public sealed class SmtpSinkTests
{
    [Fact]
    public async Task WaitForMessagesAsync_returns_once_enough_messages_arrived()
    {
        await using var sink = await SmtpSink.StartAsync();
        var waiting = sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted);

        await SendAsync(sink, "ada@example.org");
        Assert.False(waiting.IsCompleted);
        await SendAsync(sink, "bob@example.org");

        var messages = await waiting;
        Assert.Equal(["ada@example.org", "bob@example.org"], messages.Select(m => m.EnvelopeTo.Single()));
        Assert.Single(sink.MessagesTo("BOB@example.org"));
    }

    [Fact]
    public async Task WaitForMessagesAsync_gives_up_after_the_timeout()
    {
        await using var sink = await SmtpSink.StartAsync();

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => sink.WaitForMessagesAsync(1, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("received 0 message(s)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleared_faults_and_messages_are_forgotten()
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.RejectRecipient("ada@example.org").FailNextTransactions(3);
        await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(sink, "bob@example.org"));
        await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(sink, "ada@example.org"));

        sink.ClearFaults();
        await SendAsync(sink, "ada@example.org");
        await SendAsync(sink, "bob@example.org");
        Assert.Equal(2, sink.Messages.Count);

        sink.ClearMessages();
        Assert.Empty(sink.Messages);
    }

    private static async Task SendAsync(SmtpSink sink, string to)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(sink.Host, sink.Port, MailKit.Security.SecureSocketOptions.None);
        var message = new MimeMessage { Subject = "hello", Body = new TextPart("plain") { Text = "hi" } };
        message.From.Add(MailboxAddress.Parse("sender@example.com"));
        message.To.Add(MailboxAddress.Parse(to));
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }
}
