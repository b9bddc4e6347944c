using System.Collections.Concurrent;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>Thrown by activities for a business error the retry policy lists as non-retryable.</summary>
public sealed class PermanentBusinessException(string message) : Exception(message);

/// <summary>Activities of the conformance suite; each test makes its own instance, so counters are per test.</summary>
public sealed class TestActivities
{
    public ConcurrentQueue<(int Attempt, DateTimeOffset At)> Attempts { get; } = new();

    public ConcurrentQueue<string> CancelledWith { get; } = new();

    private void Record() => Attempts.Enqueue((ActivityExecutionContext.Current.Info.Attempt, DateTimeOffset.UtcNow));

    [Activity]
    public string Echo(string value)
    {
        Record();
        return value;
    }

    /// <summary>Fails the first <paramref name="failures"/> attempts with a retryable error.</summary>
    [Activity]
    public string FailTimes(int failures)
    {
        Record();
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        if (attempt <= failures)
        {
            throw new InvalidOperationException($"transient failure on attempt {attempt}");
        }

        return $"succeeded on attempt {attempt}";
    }

    [Activity]
    public string FailPermanently()
    {
        Record();
        throw new PermanentBusinessException("permanent business failure");
    }

    /// <summary>Fails the first attempt asking for a retry after <paramref name="delayMs"/>.</summary>
    [Activity]
    public string FailWithNextRetryDelay(int delayMs)
    {
        Record();
        if (ActivityExecutionContext.Current.Info.Attempt == 1)
        {
            throw new ApplicationFailureException("rate limited", errorType: "RateLimited", nextRetryDelay: TimeSpan.FromMilliseconds(delayMs));
        }

        return "done after delay";
    }

    /// <summary>Waits until cancelled (by the worker's own timeout handling) or for a long time.</summary>
    [Activity]
    public async Task<string> Hang()
    {
        Record();
        await Task.Delay(TimeSpan.FromMinutes(5), ActivityExecutionContext.Current.CancellationToken);
        return "never";
    }

    /// <summary>Attempt 1 heartbeats once with details then goes silent; the next attempt returns the details it received.</summary>
    [Activity]
    public async Task<string> HeartbeatOnceThenHang()
    {
        Record();
        var context = ActivityExecutionContext.Current;
        if (context.Info.Attempt == 1)
        {
            context.Heartbeat("progress-42");
            await Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken);
            return "never";
        }

        var details = context.Info.HeartbeatDetails.Count > 0 ? await context.Info.HeartbeatDetailAtAsync<string>(0) : "<none>";
        return $"attempt {context.Info.Attempt} saw {details}";
    }

    /// <summary>Waits until the test opens the gate named <paramref name="gate"/>.</summary>
    [Activity]
    public async Task<string> WaitForGate(string gate)
    {
        Record();
        await Gates.Get(gate).Task.WaitAsync(ActivityExecutionContext.Current.CancellationToken);
        return "opened";
    }

    /// <summary>Heartbeats until the server relays a cancel request in a heartbeat reply.</summary>
    [Activity]
    public async Task<string> HeartbeatUntilCancelled()
    {
        Record();
        var context = ActivityExecutionContext.Current;
        try
        {
            while (true)
            {
                context.Heartbeat("beat");
                await Task.Delay(TimeSpan.FromMilliseconds(100), context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            CancelledWith.Enqueue(context.CancelReason.ToString());
            throw;
        }
    }
}

/// <summary>Named one-shot gates a test opens to let a waiting activity finish.</summary>
public static class Gates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_gates = new(StringComparer.Ordinal);

    public static TaskCompletionSource Get(string name) =>
        s_gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static void Open(string name) => Get(name).TrySetResult();
}
