using System.Net.Sockets;
using EventProcessor.Activities.Downstream;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.Email;

/// <summary>What became of one message (one message has exactly one recipient).</summary>
public enum SmtpDeliveryStatus
{
    Sent,

    /// <summary>5xx for the recipient or its message: permanent, do not try this recipient again.</summary>
    Rejected,

    /// <summary>4xx for the recipient only (mailbox busy, greylisting): try again later.</summary>
    Deferred,
}

public sealed record SmtpDelivery(SmtpDeliveryStatus Status, string? Reason = null)
{
    public static SmtpDelivery Sent { get; } = new(SmtpDeliveryStatus.Sent);
}

/// <summary>Opens SMTP sessions on the configured relay; one session serves one batch.</summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options)
{
    public SmtpEmailSession OpenSession() => new(options.Value);
}

/// <summary>
/// One connection to the relay, opened on the first message and reopened if the server dropped it,
/// over which a batch sends its messages one by one.
/// <para>
/// Failure mapping, the SMTP counterpart of <see cref="DownstreamHttpHandler"/>. A reply about one
/// recipient or its message is that recipient's outcome, so one bad address never fails the batch:
/// 5xx to RCPT TO or to the message data is <see cref="SmtpDeliveryStatus.Rejected"/>; 4xx to RCPT TO
/// is <see cref="SmtpDeliveryStatus.Deferred"/>. Anything about the server or the session is thrown as
/// a Temporal failure of type <c>Smtp{Kind}</c>: connection refused, lost or TLS failing →
/// retryable <c>SmtpUnavailable</c>; no answer within <c>Smtp:TimeoutSeconds</c> → retryable
/// <c>SmtpTimeout</c>; any other 4xx (421 at greeting, 451 after the data) → retryable
/// <c>SmtpTransient</c>; credentials refused → non-retryable <c>SmtpUnauthorized</c>; sender refused
/// (5xx to MAIL FROM) → non-retryable <c>SmtpSenderRejected</c>; another 5xx → non-retryable
/// <c>SmtpRejected</c>; STARTTLS or AUTH unsupported by the server → non-retryable <c>SmtpUnsupported</c>.
/// </para>
/// </summary>
public sealed class SmtpEmailSession : IAsyncDisposable
{
    private const int MaxReasonLength = 300;

    private readonly SmtpOptions options;
    private readonly SmtpClient client;

    internal SmtpEmailSession(SmtpOptions options)
    {
        this.options = options;
        client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
    }

    private string Server => $"{options.Host}:{options.Port}";

    /// <summary>Sends <paramref name="message"/> to its single recipient <paramref name="recipient"/>.</summary>
    public async Task<SmtpDelivery> SendAsync(MimeMessage message, string recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        var operation = $"sending to {recipient}";
        try
        {
            await WithTimeoutAsync(token => client.SendAsync(message, token), operation, cancellationToken).ConfigureAwait(false);
            return SmtpDelivery.Sent;
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted && IsPermanent(ex))
        {
            return new SmtpDelivery(SmtpDeliveryStatus.Rejected, Reply(ex));
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted && IsTransient(ex))
        {
            return new SmtpDelivery(SmtpDeliveryStatus.Deferred, Reply(ex));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected)
            {
                using var quitTimeout = new CancellationTokenSource(options.Timeout);
                await client.DisconnectAsync(quit: true, quitTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ProtocolException or TimeoutException or SmtpCommandException)
        {
            // Every message of the batch already has its outcome; a failed QUIT changes none of them.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }

        await WithTimeoutAsync(ConnectAsync, $"connecting to {Server}", cancellationToken).ConfigureAwait(false);
        if (options.HasCredentials)
        {
            await WithTimeoutAsync(token => client.AuthenticateAsync(options.Username!, options.Password ?? string.Empty, token), $"logging in to {Server}", cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Connects over a socket with Nagle's algorithm off. An SMTP exchange is a write, then a wait
    /// for the reply; with Nagle on, a small write that follows another (the "." that ends the
    /// message data) waits for the server's delayed ACK, about 40 ms, on every message
    /// (benchmarks -- pipeline showed it: docs/performance.md).
    /// </summary>
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            await client.ConnectAsync(socket, options.Host, options.Port, options.SocketOptions, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs one SMTP step under <c>Smtp:TimeoutSeconds</c> and turns a session-level failure into a Temporal failure.</summary>
    private async Task WithTimeoutAsync(Func<CancellationToken, Task> step, string operation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await step(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(operation);
        }
        catch (TimeoutException)
        {
            throw TimedOut(operation);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted || (ex.ErrorCode is SmtpErrorCode.MessageNotAccepted && IsPermanent(ex)))
        {
            throw; // a recipient's outcome: SendAsync decides.
        }
        catch (Exception ex) when (ToFailure(ex, operation) is { } failure)
        {
            throw failure;
        }
    }

    private ApplicationFailureException TimedOut(string operation) =>
        DownstreamFailure.Retryable(DownstreamApi.Smtp, "Timeout",
            $"The SMTP server {Server} did not answer within {options.Timeout.TotalSeconds:0.#} s ({operation}); Temporal will retry.");

    private ApplicationFailureException? ToFailure(Exception exception, string operation) => exception switch
    {
        SmtpCommandException ex when IsTransient(ex) => DownstreamFailure.Retryable(DownstreamApi.Smtp, "Transient",
            $"The SMTP server {Server} answered {Reply(ex)} ({operation}); Temporal will retry."),
        SmtpCommandException ex when ex.ErrorCode == SmtpErrorCode.SenderNotAccepted => DownstreamFailure.Permanent(DownstreamApi.Smtp, "SenderRejected",
            $"The SMTP server {Server} refused the sender {options.FromAddress}: {Reply(ex)} ({operation}); check Smtp:FromAddress."),
        SmtpCommandException ex => DownstreamFailure.Permanent(DownstreamApi.Smtp, "Rejected",
            $"The SMTP server {Server} answered {Reply(ex)} ({operation})."),
        AuthenticationException or ServiceNotAuthenticatedException => DownstreamFailure.Permanent(DownstreamApi.Smtp, "Unauthorized",
            $"The SMTP server {Server} refused the login ({operation}): check Smtp:Username and Smtp:Password."),
        NotSupportedException ex => DownstreamFailure.Permanent(DownstreamApi.Smtp, "Unsupported",
            $"The SMTP server {Server} cannot do what Smtp is configured for ({operation}): {ex.Message} Check Smtp:Security and the credentials."),
        SslHandshakeException => DownstreamFailure.Retryable(DownstreamApi.Smtp, "Unavailable",
            $"TLS with the SMTP server {Server} failed ({operation}): check Smtp:Security ({options.Security}) and the server certificate; Temporal will retry."),
        SocketException or IOException or ProtocolException or ServiceNotConnectedException => DownstreamFailure.Retryable(DownstreamApi.Smtp, "Unavailable",
            $"The SMTP server {Server} could not be reached or dropped the connection ({operation}): {exception.Message}; Temporal will retry."),
        _ => null,
    };

    private static bool IsTransient(SmtpCommandException ex) => (int)ex.StatusCode is >= 400 and < 500;

    private static bool IsPermanent(SmtpCommandException ex) => (int)ex.StatusCode >= 500;

    private static string Reply(SmtpCommandException ex)
    {
        var text = $"{(int)ex.StatusCode} {ex.Message}".Trim();
        return text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "...";
    }
}
