using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpServerHost = SmtpServer.SmtpServer;
using SmtpServiceProvider = SmtpServer.ComponentModel.ServiceProvider;

namespace EventProcessor.DownstreamStubs;

/// <summary>A message the sink accepted, parsed with MimeKit.</summary>
public sealed record ReceivedMail(
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string? Text,
    string? Html,
    string? MessageId,
    string? AuthenticatedUser,
    MimeMessage Message);

/// <summary>
/// An in-process SMTP server on loopback (SmtpServer package) standing in for the mail relay in tests
/// and the local run. It records every accepted message and can be told to refuse a recipient
/// (<see cref="RejectRecipient"/>, 5xx for good or 4xx for "try later") or to fail whole
/// transactions after the data (<see cref="FailNextTransactions"/>), and to require a login.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<ReceivedMail> messages = [];
    private readonly Dictionary<string, SmtpResponse> recipientRules = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource stop = new();
    private readonly SmtpServerHost server;
    private TaskCompletionSource arrived = NewSignal();
    private int transactionsToPass;
    private int transactionsToFail;
    private SmtpResponse transactionFailure = SmtpResponse.TransactionFailed;

    private SmtpSink(int port, SmtpSinkCredentials? credentials, EndpointListenerFactory listeners)
    {
        var builder = new SmtpServerOptionsBuilder()
            .ServerName("smtp-sink.local")
            // Refusals are part of the scenarios: do not let them end the session.
            .MaxRetryCount(1000)
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .AuthenticationRequired(credentials is not null)
                .AllowUnsecureAuthentication(credentials is not null));

        var services = new SmtpServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        services.Add(new RecipientFilter(this));
        if (credentials is not null)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) =>
                string.Equals(user, credentials.Username, StringComparison.Ordinal) && string.Equals(password, credentials.Password, StringComparison.Ordinal)));
        }

        server = new SmtpServerHost(builder.Build(), services);
    }

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>Accepted messages, oldest first (a snapshot).</summary>
    public IReadOnlyList<ReceivedMail> Messages
    {
        get
        {
            lock (gate)
            {
                return [.. messages];
            }
        }
    }

    /// <summary>Starts listening on loopback, on <paramref name="port"/> or (0) a free port, and returns once it accepts connections.</summary>
    public static async Task<SmtpSink> StartAsync(int port = 0, SmtpSinkCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var sink = new SmtpSink(port, credentials, listeners);
        var running = sink.server.StartAsync(sink.stop.Token);
        var first = await Task.WhenAny(started.Task, running).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (first != started.Task)
        {
            await running.ConfigureAwait(false); // surfaces why the server stopped (e.g. port in use)
            throw new InvalidOperationException("The SMTP sink stopped before listening.");
        }

        sink.Port = await started.Task.ConfigureAwait(false);
        return sink;
    }

    /// <summary>Messages whose envelope includes <paramref name="email"/> (case-insensitive).</summary>
    public IReadOnlyList<ReceivedMail> MessagesTo(string email) =>
        Messages.Where(m => m.EnvelopeTo.Contains(email, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages were accepted (for asynchronous senders such as workflows).</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (messages.Count >= count)
                {
                    return [.. messages];
                }

                signal = arrived.Task;
            }

            try
            {
                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The SMTP sink received {Messages.Count} message(s) within {timeout}, expected {count}.");
            }
        }
    }

    /// <summary>
    /// RCPT TO <paramref name="email"/> is answered <paramref name="code"/> from now on: 550 (default)
    /// refuses it for good, a 4xx such as 450 asks to try later.
    /// </summary>
    public SmtpSink RejectRecipient(string email, int code = 550, string message = "5.1.1 Mailbox unavailable")
    {
        lock (gate)
        {
            recipientRules[email] = new SmtpResponse((SmtpReplyCode)code, message);
        }

        return this;
    }

    /// <summary>Accepts <paramref name="email"/> again after <see cref="RejectRecipient"/>.</summary>
    public SmtpSink AcceptRecipient(string email)
    {
        lock (gate)
        {
            recipientRules.Remove(email);
        }

        return this;
    }

    /// <summary>
    /// After letting <paramref name="after"/> more transactions through, answers the end of the data of
    /// the next <paramref name="count"/> transactions with <paramref name="code"/> (451 by default: a
    /// transient local error), so nothing of them is recorded.
    /// </summary>
    public SmtpSink FailNextTransactions(int count, int code = 451, string message = "4.3.0 Requested action aborted: local error in processing", int after = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        lock (gate)
        {
            transactionsToPass = after;
            transactionsToFail = count;
            transactionFailure = new SmtpResponse((SmtpReplyCode)code, message);
        }

        return this;
    }

    /// <summary>Forgets every rejection and failure rule (received messages stay).</summary>
    public SmtpSink ClearFaults()
    {
        lock (gate)
        {
            recipientRules.Clear();
            transactionsToFail = 0;
            transactionsToPass = 0;
        }

        return this;
    }

    /// <summary>Forgets the received messages.</summary>
    public void ClearMessages()
    {
        lock (gate)
        {
            messages.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        server.Shutdown();
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Stopped by the cancellation above, or a client still holds a session: nothing to keep.
        }

        stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SmtpResponse? RecipientRule(IMailbox to)
    {
        lock (gate)
        {
            return recipientRules.GetValueOrDefault(to.AsAddress());
        }
    }

    private SmtpResponse? NextTransactionFailure()
    {
        lock (gate)
        {
            if (transactionsToFail == 0)
            {
                return null;
            }

            if (transactionsToPass > 0)
            {
                transactionsToPass--;
                return null;
            }

            transactionsToFail--;
            return transactionFailure;
        }
    }

    private void Record(ReceivedMail mail)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            messages.Add(mail);
            signal = arrived;
            arrived = NewSignal();
        }

        signal.TrySetResult();
    }

    private static IReadOnlyList<string> Addresses(InternetAddressList list) => list.Mailboxes.Select(m => m.Address).ToList();

    private sealed class RecipientFilter(SmtpSink sink) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            sink.RecipientRule(to) is { } rule ? throw new SmtpResponseException(rule) : Task.FromResult(true);
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink.NextTransactionFailure() is { } failure)
            {
                return failure;
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            sink.Record(new ReceivedMail(
                transaction.From.AsAddress(),
                transaction.To.Select(t => t.AsAddress()).ToList(),
                message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty,
                Addresses(message.To),
                Addresses(message.Cc),
                message.Subject ?? string.Empty,
                message.TextBody,
                message.HtmlBody,
                message.MessageId,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                message));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>Login the sink requires (AUTH PLAIN/LOGIN, allowed without TLS on loopback).</summary>
public sealed record SmtpSinkCredentials(string Username, string Password)
{
    public override string ToString() => $"SmtpSinkCredentials {Username}";
}
