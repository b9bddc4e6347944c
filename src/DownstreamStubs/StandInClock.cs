namespace EventProcessor.DownstreamStubs;

/// <summary>
/// The clock the stand-ins and the activities under test share. It reads the real time plus how far
/// it has been moved on, and a wait on it (<c>Task.Delay(d, clock)</c>) does not wait: it moves the
/// clock on by <c>d</c> and completes. So "invisible to search for 20 s" and "keep looking for 120 s"
/// play out in order without a test sleeping, and the stand-ins' lag and the activity's window are
/// measured on the same time line.
/// </summary>
public sealed class StandInClock : TimeProvider
{
    private readonly TimeProvider inner;
    private long offsetTicks;

    public StandInClock(TimeProvider? inner = null)
    {
        this.inner = inner ?? System;
    }

    /// <summary>How far the clock has been moved ahead of the one it reads.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override long GetTimestamp() => inner.GetTimestamp() + Offset.Ticks * TimestampFrequency / TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    /// <summary>A timer fires once, at once, after moving the clock on by its due time; periods are not repeated.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new Fired();
        }

        Advance(dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
