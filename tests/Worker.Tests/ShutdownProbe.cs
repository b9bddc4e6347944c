using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Workflows;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// An activity that is still working when the worker is asked to stop: it waits for the
/// shutdown to begin, then needs <see cref="WorkAfterShutdown"/> more. It finishes only if the
/// worker grants a grace period; without one it is cancelled.
/// </summary>
public sealed class ShutdownProbeActivities
{
    public static readonly TimeSpan WorkAfterShutdown = TimeSpan.FromMilliseconds(500);

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<string> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public async Task<string> FinishAfterShutdownBeginsAsync()
    {
        var context = ActivityExecutionContext.Current;
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.WorkerShutdownToken);
        }
        catch (OperationCanceledException)
        {
            // The worker is shutting down: the rest of the work must still be allowed to finish.
        }

        try
        {
            await Task.Delay(WorkAfterShutdown, context.CancellationToken);
            Outcome.TrySetResult("finished");
            return "finished";
        }
        catch (OperationCanceledException)
        {
            Outcome.TrySetResult("cancelled");
            throw;
        }
    }
}

[Workflow]
public sealed class ShutdownProbeWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteActivityAsync(
            (ShutdownProbeActivities a) => a.FinishAfterShutdownBeginsAsync(),
            new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), RetryPolicy = new RetryPolicy { MaximumAttempts = 1 } });
}
