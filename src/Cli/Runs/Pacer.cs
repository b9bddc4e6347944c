namespace EventProcessor.Cli.Runs;

/// <summary>Caps the pace of calls at N per second (<c>--rate</c>) so a bulk action does not flood Temporal or an API.</summary>
public sealed class Pacer
{
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private long? startedAt;
    private long calls;

    public Pacer(double? perSecond, TimeProvider? time = null)
    {
        if (perSecond is { } rate && (double.IsNaN(rate) || double.IsInfinity(rate) || rate <= 0))
        {
            throw new CliUsageException($"--rate must be a positive number of calls per second, not {rate}.");
        }

        interval = perSecond is { } r ? TimeSpan.FromSeconds(1 / r) : TimeSpan.Zero;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Waits until the next call is allowed: call k (from 0) goes at k / rate seconds after the first.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (interval == TimeSpan.Zero)
        {
            return;
        }

        startedAt ??= time.GetTimestamp();
        var due = interval * calls++;
        var wait = due - time.GetElapsedTime(startedAt.Value);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
