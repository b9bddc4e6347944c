using System.Globalization;
using EventProcessor.Activities.Email.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Logging;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace EventProcessor.Activities.Email.Tests;

/// <summary><see cref="EmailActivities.SendTemplatedAsync"/> run by Temporal's ActivityEnvironment against a real SMTP server.</summary>
public sealed class EmailActivitiesTests : IAsyncLifetime
{
    private const string EventId = "6a7e8feb-b491-4cf7-a9f1-bf3703467718";

    private static readonly EmailRecipient Ada = new("ada@example.org", "Ada");
    private static readonly EmailRecipient Bob = new("bob@example.org", "Bob");
    private static readonly EmailRecipient Carol = new("carol@example.org");
    private static readonly EmailRecipient Dave = new("dave@example.org", "Dave");

    private const string FromAddress = "notifications@example.com";

    private readonly CapturingLoggerProvider logs = new();
    private SmtpSink sink = null!;
    private ServiceHarness product = null!;

    public async Task InitializeAsync()
    {
        sink = await SmtpSink.StartAsync();
        product = Email(sink.Port);
    }

    public async Task DisposeAsync()
    {
        await product.DisposeAsync();
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Mails_each_distinct_recipient_once_and_alone()
    {
        var batch = SampleModels.Batch(EmailTemplates.TicketCommented, EventId, Ada, new EmailRecipient("ADA@Example.org"), Bob, Carol, new EmailRecipient(" bob@example.org "));

        var (result, failure, heartbeats) = await RunAsync(batch);

        Assert.Null(failure);
        Assert.Equal(["ada@example.org", "bob@example.org", "carol@example.org"], result!.Sent);
        Assert.Empty(result.AlreadySent);
        Assert.Empty(result.Rejected);
        Assert.Equal(["ada@example.org", "bob@example.org", "carol@example.org"], heartbeats[^1].Sent);

        var mails = sink.Messages;
        Assert.Equal(3, mails.Count);
        foreach (var (mail, recipient) in mails.Zip([Ada, Bob, Carol]))
        {
            Assert.Equal([recipient.Email], mail.EnvelopeTo);
            Assert.Equal([recipient.Email], mail.To);
            Assert.Empty(mail.Cc);
            Assert.Equal(FromAddress, mail.From);
            Assert.Equal("[SUP-1234] New comment from Ada Lovelace: Crawler stops at page 3", mail.Subject);
            Assert.Contains($"Hi {recipient.Name ?? "there"},", mail.Text, StringComparison.Ordinal);
            Assert.Contains("I re-ran the report.", mail.Html, StringComparison.Ordinal);
            Assert.Equal(EmailMessageFactory.MessageId(EventId, EmailTemplates.TicketCommented, recipient.Email, "example.com"), mail.MessageId);
            Assert.Equal("auto-generated", mail.Message.Headers["Auto-Submitted"]);
            Assert.Equal(EventId, mail.Message.Headers["X-EventProcessor-Event-Id"]);
        }

        Assert.Equal(3, mails.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public void Message_id_is_stable_per_event_template_and_recipient()
    {
        var id = EmailMessageFactory.MessageId(EventId, EmailTemplates.TicketCommented, "ada@example.org", "example.com");

        Assert.Equal(id, EmailMessageFactory.MessageId(EventId, EmailTemplates.TicketCommented, "ADA@example.org", "example.com"));
        Assert.NotEqual(id, EmailMessageFactory.MessageId("another-event", EmailTemplates.TicketCommented, "ada@example.org", "example.com"));
        Assert.NotEqual(id, EmailMessageFactory.MessageId(EventId, EmailTemplates.WeMissYou, "ada@example.org", "example.com"));
        Assert.NotEqual(id, EmailMessageFactory.MessageId(EventId, EmailTemplates.TicketCommented, "bob@example.org", "example.com"));
        Assert.Matches("^ticket-commented\\.[0-9a-f]{32}@example\\.com$", id);
        Assert.DoesNotContain("ada", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recipient_refused_for_good_is_reported_and_the_others_are_still_mailed()
    {
        sink.RejectRecipient("bob@example.org", 550, "5.1.1 User unknown");
        var batch = SampleModels.Batch(EmailTemplates.ReportRunFailed, EventId, Ada, Bob, new EmailRecipient("not-an-address"), Carol);

        var (result, failure, _) = await RunAsync(batch);

        Assert.Null(failure);
        Assert.Equal(["ada@example.org", "carol@example.org"], result!.Sent);
        Assert.Equal(2, result.Rejected.Count);
        Assert.Equal("bob@example.org", result.Rejected[0].Email);
        Assert.StartsWith("550 5.1.1 User unknown", result.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Equal(new RejectedRecipient("not-an-address", "not a valid email address"), result.Rejected[1]);
        Assert.Equal(["ada@example.org", "carol@example.org"], sink.Messages.Select(m => m.EnvelopeTo.Single()));
        Assert.Contains(logs.Lines, line => line.Contains("rejected bob@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retry_after_a_deferred_recipient_mails_only_that_recipient()
    {
        sink.RejectRecipient("bob@example.org", 450, "4.2.1 Mailbox busy");
        var batch = SampleModels.Batch(EmailTemplates.ProjectAccessGranted, EventId, Ada, Bob, Carol);

        var first = await RunAsync(batch);

        var failure = Assert.IsType<ApplicationFailureException>(first.Failure);
        Assert.False(failure.NonRetryable);
        Assert.Equal("SmtpTransient", failure.ErrorType);
        Assert.Contains("bob@example.org (450 4.2.1 Mailbox busy", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Temporal will retry the deferred ones only", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["ada@example.org", "carol@example.org"], first.Heartbeats[^1].Sent);
        Assert.Equal(2, sink.Messages.Count);

        sink.AcceptRecipient("bob@example.org");
        var second = await RunAsync(batch, attempt: 2, heartbeat: first.Heartbeats[^1]);

        Assert.Null(second.Failure);
        Assert.Equal(["bob@example.org"], second.Result!.Sent);
        Assert.Equal(["ada@example.org", "carol@example.org"], second.Result.AlreadySent);
        Assert.Equal(["ada@example.org", "bob@example.org", "carol@example.org"], sink.Messages.Select(m => m.EnvelopeTo.Single()).Order());
    }

    [Fact]
    public async Task A_retry_after_the_server_failed_part_way_mails_only_the_rest()
    {
        sink.FailNextTransactions(1, 451, after: 2);
        var batch = SampleModels.Batch(EmailTemplates.DataDeliveryFailed, EventId, Ada, Bob, Carol, Dave);

        var first = await RunAsync(batch);

        var failure = Assert.IsType<ApplicationFailureException>(first.Failure);
        Assert.False(failure.NonRetryable);
        Assert.Equal("SmtpTransient", failure.ErrorType);
        Assert.Contains("carol@example.org", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["ada@example.org", "bob@example.org"], first.Heartbeats[^1].Sent);
        Assert.Equal(["ada@example.org", "bob@example.org"], sink.Messages.Select(m => m.EnvelopeTo.Single()));

        var second = await RunAsync(batch, attempt: 2, heartbeat: first.Heartbeats[^1]);

        Assert.Null(second.Failure);
        Assert.Equal(["carol@example.org", "dave@example.org"], second.Result!.Sent);
        Assert.Equal(["ada@example.org", "bob@example.org"], second.Result.AlreadySent);
        Assert.Equal(
            ["ada@example.org", "bob@example.org", "carol@example.org", "dave@example.org"],
            sink.Messages.Select(m => m.EnvelopeTo.Single()));
    }

    [Fact]
    public async Task Running_a_finished_batch_again_with_its_heartbeat_mails_nobody()
    {
        sink.RejectRecipient("bob@example.org");
        var batch = SampleModels.Batch(EmailTemplates.TeamInvitation, EventId, Ada, Bob, Carol);
        var first = await RunAsync(batch);
        Assert.Null(first.Failure);
        sink.ClearFaults();

        var second = await RunAsync(batch, attempt: 2, heartbeat: first.Heartbeats[^1]);

        Assert.Null(second.Failure);
        Assert.Empty(second.Result!.Sent);
        Assert.Equal(["ada@example.org", "carol@example.org"], second.Result.AlreadySent);
        Assert.Equal(["bob@example.org"], second.Result.Rejected.Select(r => r.Email));
        Assert.Equal(2, sink.Messages.Count);
    }

    [Fact]
    public async Task A_model_lacking_a_required_field_fails_for_good_before_any_mail()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.TeamInvitation]);
        model.Remove("acceptUrl");

        var (_, failure, heartbeats) = await RunAsync(new EmailBatch(EmailTemplates.TeamInvitation, EventId, [Ada, Bob], model));

        var applicationFailure = Assert.IsType<ApplicationFailureException>(failure);
        Assert.True(applicationFailure.NonRetryable);
        Assert.Equal(EmailFailure.ModelInvalid, applicationFailure.ErrorType);
        Assert.Contains("'team-invitation'", applicationFailure.Message, StringComparison.Ordinal);
        Assert.Contains("'acceptUrl'", applicationFailure.Message, StringComparison.Ordinal);
        Assert.Empty(heartbeats);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task An_smtp_server_that_is_down_fails_retryably_and_mails_nobody()
    {
        await using var down = Email(StubServerExtensions.ClosedLoopbackUrl().Port);

        var (_, failure, heartbeats) = await RunAsync(SampleModels.Batch(EmailTemplates.WeMissYou, EventId, Ada), on: down);

        var applicationFailure = Assert.IsType<ApplicationFailureException>(failure);
        Assert.False(applicationFailure.NonRetryable);
        Assert.Equal("SmtpUnavailable", applicationFailure.ErrorType);
        Assert.Empty(heartbeats);
    }

    [Fact]
    public async Task The_reset_url_is_mailed_but_never_logged_returned_or_put_in_a_failure()
    {
        sink.RejectRecipient("bob@example.org", 450, "4.2.1 Mailbox busy");
        var batch = SampleModels.Batch(EmailTemplates.PasswordReset, EventId, Ada, Bob);

        var first = await RunAsync(batch);
        sink.AcceptRecipient("bob@example.org");
        var second = await RunAsync(batch, attempt: 2, heartbeat: first.Heartbeats[^1]);

        // The link does reach each recipient (so the checks below look at real traffic)...
        Assert.Equal(2, sink.Messages.Count);
        Assert.All(sink.Messages, mail =>
        {
            Assert.Contains(SampleModels.ResetUrl, mail.Text, StringComparison.Ordinal);
            Assert.Contains(SampleModels.ResetUrl, mail.Html, StringComparison.Ordinal);
        });

        // ...and nowhere else.
        Assert.NotNull(first.Failure);
        Assert.NotEmpty(logs.Lines);
        var payloads = string.Join('\n',
            [.. first.Heartbeats.Concat(second.Heartbeats).Select(Json), Json(second.Result)]);
        string[] secrets = [SampleModels.ResetUrl, "s3cr3t-7f9a2c41d0"];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, first.Failure!.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, payloads, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, batch.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bad_reset_url_fails_without_quoting_it()
    {
        var model = new Dictionary<string, string?>(SampleModels.Full[EmailTemplates.PasswordReset]) { ["resetUrl"] = "javascript:steal('s3cr3t-7f9a2c41d0')" };

        var (_, failure, _) = await RunAsync(new EmailBatch(EmailTemplates.PasswordReset, EventId, [Ada], model));

        Assert.NotNull(failure);
        Assert.DoesNotContain("s3cr3t-7f9a2c41d0", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-7f9a2c41d0", logs.AllText, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public void Duplicates_are_merged_case_insensitively_keeping_the_first_spelling_and_any_name()
    {
        var distinct = EmailActivities.Distinct([new("Ada@Example.org"), new("ada@example.org", "Ada"), Bob, new("ADA@EXAMPLE.ORG", "Other")]);

        Assert.Equal([new EmailRecipient("Ada@Example.org", "Ada"), Bob], distinct);
    }

    private static string Json(object? value) => DataConverter.Default.PayloadConverter.ToPayload(value).Data.ToStringUtf8();

    /// <summary>The email services wired as the worker wires them (<c>AddEmail</c>), sending through loopback port <paramref name="port"/>, logging into <see cref="logs"/>.</summary>
    private ServiceHarness Email(int port) => ServiceHarness.Start(
        new Dictionary<string, string?>
        {
            ["Smtp:Host"] = sink.Host,
            ["Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:FromAddress"] = FromAddress,
            ["Smtp:FromName"] = "Phoenix Notifications",
            ["Smtp:TimeoutSeconds"] = "5",
        },
        TimeProvider.System,
        (services, configuration) => services.AddEmail(configuration),
        logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

    /// <summary>Runs the activity as attempt <paramref name="attempt"/>, handing it <paramref name="heartbeat"/> as the previous attempt's last heartbeat; returns the heartbeats it records.</summary>
    private async Task<(EmailBatchResult? Result, Exception? Failure, IReadOnlyList<EmailSendProgress> Heartbeats)> RunAsync(
        EmailBatch batch, int attempt = 1, EmailSendProgress? heartbeat = null, ServiceHarness? on = null)
    {
        var activities = (on ?? product).Get<EmailActivities>();
        var heartbeats = new List<EmailSendProgress>();
        var environment = new ActivityEnvironment
        {
            Info = ActivityEnvironment.DefaultInfo with
            {
                Attempt = attempt,
                HeartbeatDetails = heartbeat is null ? [] : [DataConverter.Default.PayloadConverter.ToPayload(heartbeat)],
            },
            Heartbeater = details => heartbeats.Add((EmailSendProgress)details.Single()!),
        };
        try
        {
            var result = await environment.RunAsync(() => activities.SendTemplatedAsync(batch));
            return (result, null, heartbeats);
        }
        catch (Exception ex)
        {
            return (null, ex, heartbeats);
        }
    }
}
