using Temporalio.Activities;

namespace EventProcessor.Activities.Downstream;

/// <summary>
/// Keeps a batch activity heartbeating while it works. A batch heartbeats its progress after each
/// item, but one item can take several SMTP or HTTP steps, each up to its own timeout, which together
/// outlast the heartbeat timeout: the server would then time the attempt out although the worker is
/// alive. So this re-sends the latest progress every third of the heartbeat timeout (the SDK throttles
/// what it forwards to the server), and a worker that dies stops heartbeating, which is what lets the
/// server retry the attempt after the heartbeat timeout instead of the much longer start-to-close.
/// </summary>
public sealed class ActivityHeartbeat : IAsyncDisposable
{
    private readonly ActivityExecutionContext context;
    private readonly CancellationTokenSource stop;
    private readonly Task loop;
    private readonly object sync = new();
    private object? latest;

    private ActivityHeartbeat(ActivityExecutionContext context, object? progress, TimeProvider time)
    {
        this.context = context;
        latest = progress;
        stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        loop = context.Info.HeartbeatTimeout is { } timeout && timeout > TimeSpan.Zero
            ? RunAsync(timeout / 3, time, stop.Token)
            : Task.CompletedTask;
    }

    /// <summary>Starts heartbeating <paramref name="progress"/> (the progress a retry resumes from; null for none yet).</summary>
    public static ActivityHeartbeat Start(ActivityExecutionContext context, object? progress, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ActivityHeartbeat(context, progress, time ?? TimeProvider.System);
    }

    /// <summary>Records new progress and heartbeats it now.</summary>
    public void Report(object progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        lock (sync)
        {
            latest = progress;
        }

        context.Heartbeat(progress);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            object? progress;
            lock (sync)
            {
                progress = latest;
            }

            if (progress is null)
            {
                context.Heartbeat();
            }
            else
            {
                context.Heartbeat(progress);
            }
        }
    }
}
