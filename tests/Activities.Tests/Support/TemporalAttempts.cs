using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace EventProcessor.Activities.Tests.Support;

/// <summary>
/// Runs an activity the way Temporal retries it: attempt after attempt while it fails retryably,
/// each attempt seeing the heartbeat details the last heartbeat recorded (the server keeps them
/// across attempts and hands them to the next one), until it succeeds, fails for good, or runs out.
/// </summary>
public sealed class TemporalAttempts(TimeSpan? startToClose = null, int maximumAttempts = 30)
{
    private readonly List<ApplicationFailureException> failures = [];
    private Payload? lastHeartbeat;

    /// <summary>The retryable failures the attempts ended with, in order.</summary>
    public IReadOnlyList<ApplicationFailureException> Failures => failures;

    public int Attempts { get; private set; }

    /// <summary>Heartbeat details as the next attempt would see them (set to start from an earlier attempt's intent).</summary>
    public object? LastHeartbeat
    {
        set => lastHeartbeat = value is null ? null : DataConverter.Default.PayloadConverter.ToPayload(value);
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        while (true)
        {
            Attempts++;
            var environment = new ActivityEnvironment
            {
                Info = ActivityEnvironment.DefaultInfo with
                {
                    Attempt = Attempts,
                    StartToCloseTimeout = startToClose ?? TimeSpan.FromSeconds(60),
                    HeartbeatDetails = lastHeartbeat is null ? [] : [lastHeartbeat],
                },
                Heartbeater = details =>
                {
                    if (details.Length > 0 && details[0] is { } detail)
                    {
                        lastHeartbeat = DataConverter.Default.PayloadConverter.ToPayload(detail);
                    }
                },
            };
            try
            {
                return await environment.RunAsync(activity);
            }
            catch (ApplicationFailureException e) when (!e.NonRetryable && Attempts < maximumAttempts)
            {
                failures.Add(e);
            }
        }
    }

    /// <summary>The detail the last heartbeat recorded, read as <typeparamref name="T"/>.</summary>
    public T? Heartbeat<T>() => lastHeartbeat is null ? default : DataConverter.Default.PayloadConverter.ToValue<T>(lastHeartbeat);
}
