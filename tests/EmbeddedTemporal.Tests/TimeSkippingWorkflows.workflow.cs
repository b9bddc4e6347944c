using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Workflows;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>Races an activity that waits on a gate against a long timer; says which finished first.</summary>
[Workflow]
public sealed class ActivityOrTimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string gate, TimeSpan timer)
    {
        var activity = Workflow.ExecuteActivityAsync(
            (TimeSkippingActivities a) => a.WaitForGateAsync(gate),
            new ActivityOptions { StartToCloseTimeout = TimeSpan.FromDays(1), RetryPolicy = new RetryPolicy { MaximumAttempts = 1 } });
        var first = await Workflow.WhenAnyAsync(activity, Workflow.DelayAsync(timer));
        return first == activity ? "activity" : "timer";
    }
}

/// <summary>Sleeps, then runs an activity whose first attempt hangs, so it times out on the server's clock after the skip.</summary>
[Workflow]
public sealed class TimeoutAfterSleepWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan sleep, bool heartbeat, TimeSpan timeout, TimeSpan backoff)
    {
        await Workflow.DelayAsync(sleep);
        var options = new ActivityOptions
        {
            StartToCloseTimeout = heartbeat ? TimeSpan.FromDays(1) : timeout,
            HeartbeatTimeout = heartbeat ? timeout : null,
            RetryPolicy = new RetryPolicy { InitialInterval = backoff, MaximumAttempts = 2 },
        };
        return await Workflow.ExecuteActivityAsync((TimeSkippingActivities a) => a.HangOnFirstAttemptAsync(heartbeat), options);
    }
}

public sealed class TimeSkippingActivities
{
    [Activity]
    public async Task<string> WaitForGateAsync(string gate)
    {
        Gates.Get(gate + ":entered").TrySetResult();
        await Gates.Get(gate).Task.WaitAsync(ActivityExecutionContext.Current.CancellationToken);
        return "done";
    }

    /// <summary>Attempt 1 (heartbeating once if asked) waits until the worker cancels it; attempt 2 answers.</summary>
    [Activity]
    public async Task<string> HangOnFirstAttemptAsync(bool heartbeat)
    {
        var context = ActivityExecutionContext.Current;
        if (context.Info.Attempt > 1)
        {
            return $"attempt {context.Info.Attempt}";
        }

        if (heartbeat)
        {
            context.Heartbeat();
        }

        await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        return "unreachable";
    }
}
