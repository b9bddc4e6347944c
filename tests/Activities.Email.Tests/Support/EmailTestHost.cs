using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Temporalio.Converters;
using Temporalio.Testing;

namespace EventProcessor.Activities.Email.Tests.Support;

/// <summary>A real in-process SMTP server plus the email services wired exactly as the worker wires them (<c>AddEmail</c>).</summary>
public sealed class EmailTestHost : IAsyncDisposable
{
    public const string FromAddress = "notifications@example.com";

    private readonly ServiceProvider services;

    private EmailTestHost(SmtpSink sink, ServiceProvider services, CapturingLoggerProvider logs)
    {
        Sink = sink;
        this.services = services;
        Logs = logs;
    }

    public SmtpSink Sink { get; }

    public CapturingLoggerProvider Logs { get; }

    public EmailActivities Activities => services.GetRequiredService<EmailActivities>();

    public SmtpEmailSender Sender => services.GetRequiredService<SmtpEmailSender>();

    public static async Task<EmailTestHost> StartAsync(SmtpSinkCredentials? credentials = null, Action<Dictionary<string, string?>>? configure = null)
    {
        var sink = await SmtpSink.StartAsync(credentials: credentials);
        var settings = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = sink.Host,
            ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:FromAddress"] = FromAddress,
            ["Smtp:FromName"] = "Phoenix Notifications",
            ["Smtp:TimeoutSeconds"] = "5",
            ["Smtp:Username"] = credentials?.Username,
            ["Smtp:Password"] = credentials?.Password,
        };
        configure?.Invoke(settings);
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddEmail(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new EmailTestHost(sink, services, logs);
    }

    /// <summary>Runs the activity as attempt <paramref name="attempt"/>, handing it <paramref name="heartbeat"/> as the previous attempt's last heartbeat; returns the heartbeats it records.</summary>
    public async Task<(EmailBatchResult? Result, Exception? Failure, IReadOnlyList<EmailSendProgress> Heartbeats)> RunAsync(
        EmailBatch batch, int attempt = 1, EmailSendProgress? heartbeat = null)
    {
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
            var result = await environment.RunAsync(() => Activities.SendTemplatedAsync(batch));
            return (result, null, heartbeats);
        }
        catch (Exception ex)
        {
            return (null, ex, heartbeats);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
