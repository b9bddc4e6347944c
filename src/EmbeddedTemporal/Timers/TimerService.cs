using Microsoft.Extensions.Logging;

namespace EventProcessor.EmbeddedTemporal.Timers;

/// <summary>
/// Runs callbacks after a delay (workflow timers, task and activity timeouts, retry backoffs).
/// Callbacks must re-check the state they act on: a cancel can race with a firing timer.
/// </summary>
internal sealed class TimerService : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSkipping? _skipping;
    private readonly ILogger _logger;
    private readonly HashSet<ITimer> _active = [];
    private bool _disposed;

    public TimerService(TimeProvider time, ILogger<TimerService> logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>Timers on a clock that skips ahead (<see cref="TimeSkipping"/> runs them).</summary>
    public TimerService(TimeSkipping skipping, ILogger<TimerService> logger)
    {
        _time = skipping;
        _skipping = skipping;
        _logger = logger;
    }

    /// <summary>Schedules <paramref name="callback"/>; dispose the handle to cancel it.</summary>
    public IDisposable Schedule(TimeSpan delay, Action callback)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        if (_skipping is not null)
        {
            return _skipping.Schedule(delay, callback);
        }

        var handle = new Handle(this);
        lock (_active)
        {
            if (_disposed)
            {
                return handle;
            }

            handle.Timer = _time.CreateTimer(_ => Fire(handle, callback), null, delay, Timeout.InfiniteTimeSpan);
            _active.Add(handle.Timer);
        }

        return handle;
    }

    private void Fire(Handle handle, Action callback)
    {
        if (!handle.Release())
        {
            return;
        }

        try
        {
            callback();
        }
#pragma warning disable CA1031 // a failing timer callback must not take the process down
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Timer callback failed");
        }
    }

    public void Dispose()
    {
        _skipping?.Dispose();
        lock (_active)
        {
            _disposed = true;
            foreach (var timer in _active)
            {
                timer.Dispose();
            }

            _active.Clear();
        }
    }

    private sealed class Handle(TimerService owner) : IDisposable
    {
        private int _released;

        public ITimer? Timer { get; set; }

        public bool Release()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return false;
            }

            lock (owner._active)
            {
                if (Timer is not null)
                {
                    owner._active.Remove(Timer);
                    Timer.Dispose();
                }
            }

            return true;
        }

        public void Dispose() => Release();
    }
}
