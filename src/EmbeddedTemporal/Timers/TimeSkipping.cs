using Microsoft.Extensions.Logging;

namespace EventProcessor.EmbeddedTemporal.Timers;

/// <summary>
/// A clock that jumps ahead to the next timer while nothing is happening, as Temporal's Java test
/// server does (temporal-test-server, <c>SelfAdvancingTimerImpl</c>): while time skipping is locked,
/// or a workflow or activity task is outstanding, or a request or timer callback is being handled,
/// the clock runs at wall speed; otherwise, rather than wait, it moves straight to the time of the
/// next timer and fires it. Locks are a counter (TestService <c>LockTimeSkipping</c> /
/// <c>UnlockTimeSkipping</c>); like the Java server started with <c>lockTimeSkipping = true</c>
/// (<c>TestServicesStarter</c>), it starts locked once, and a test client unlocks it while it waits
/// for a result. The clock never goes back.
/// </summary>
internal sealed class TimeSkipping : TimeProvider, IDisposable
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(100);

    private readonly object _sync = new();
    private readonly PriorityQueue<Entry, (DateTimeOffset FireAt, long Order)> _queue = new();
    private readonly TimeProvider _wall;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Task _pump;
    private Func<bool> _outstandingWork = static () => false;
    private TimeSpan _offset;
    private long _order;
    private int _locks = 1;
    private int _busy;

    public TimeSkipping(TimeProvider wall, ILogger logger)
    {
        _wall = wall;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The server's time: wall time plus everything skipped so far.</summary>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_sync)
        {
            return _wall.GetUtcNow() + _offset;
        }
    }

    /// <summary>Whether any workflow or activity task is outstanding (scheduled or started); checked before every skip.</summary>
    public void SetOutstandingWorkCheck(Func<bool> outstandingWork) => _outstandingWork = outstandingWork;

    public int Locks
    {
        get
        {
            lock (_sync)
            {
                return _locks;
            }
        }
    }

    public void Lock()
    {
        lock (_sync)
        {
            _locks++;
        }
    }

    /// <returns>False when no lock was held (unbalanced unlock).</returns>
    public bool Unlock()
    {
        lock (_sync)
        {
            if (_locks == 0)
            {
                return false;
            }

            _locks--;
        }

        Wake();
        return true;
    }

    /// <summary>Marks a request or callback in progress (no skipping meanwhile); dispose when it ends.</summary>
    public IDisposable EnterBusy()
    {
        Interlocked.Increment(ref _busy);
        return new Busy(this);
    }

    /// <summary>Runs <paramref name="callback"/> when the clock reaches <paramref name="fireAt"/>; dispose the handle to cancel.</summary>
    public IDisposable ScheduleAt(DateTimeOffset fireAt, Action callback)
    {
        var entry = new Entry(fireAt, callback);
        lock (_sync)
        {
            _queue.Enqueue(entry, (fireAt, _order++));
        }

        Wake();
        return entry;
    }

    public IDisposable Schedule(TimeSpan delay, Action callback) =>
        ScheduleAt(GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero), callback);

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _pump.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var due = new List<Entry>();
            Entry? next = null;
            bool mayskip;
            DateTimeOffset now;
            lock (_sync)
            {
                now = _wall.GetUtcNow() + _offset;
                while (_queue.TryPeek(out var head, out _) && (head.Cancelled || head.FireAt <= now))
                {
                    _queue.Dequeue();
                    if (head.TryTake())
                    {
                        due.Add(head);
                    }
                }

                while (_queue.TryPeek(out var head, out _) && head.Cancelled)
                {
                    _queue.Dequeue();
                }

                if (_queue.TryPeek(out var upcoming, out _))
                {
                    next = upcoming;
                }

                // Callbacks about to run count as busy from here, so no skip happens before they have acted.
                Interlocked.Add(ref _busy, due.Count);
                mayskip = due.Count == 0 && next is not null && _locks == 0 && Volatile.Read(ref _busy) == 0;
            }

            foreach (var entry in due)
            {
                _ = Task.Run(() => Run(entry));
            }

            if (due.Count > 0)
            {
                continue;
            }

            if (mayskip && !HasOutstandingWork())
            {
                lock (_sync)
                {
                    now = _wall.GetUtcNow() + _offset;
                    if (_locks == 0 && Volatile.Read(ref _busy) == 0 && _queue.TryPeek(out var head, out _) && ReferenceEquals(head, next) && head.FireAt > now)
                    {
                        _offset += head.FireAt - now;
                    }
                }

                continue;
            }

            var wait = next is null ? Timeout.InfiniteTimeSpan : next.FireAt - now;
            if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.FromMilliseconds(1))
            {
                wait = TimeSpan.FromMilliseconds(1);
            }

            if (mayskip || (next is not null && wait > Recheck && Locks == 0))
            {
                // Outstanding work ends inside a request or callback, which wakes the pump; this only bounds a missed wake-up.
                wait = Recheck;
            }

            try
            {
                await _wake.WaitAsync(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private bool HasOutstandingWork()
    {
        try
        {
            return _outstandingWork();
        }
#pragma warning disable CA1031 // a failing check must keep time from skipping, not stop the clock
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Time skipping: checking for outstanding tasks failed");
            return true;
        }
    }

    private void Run(Entry entry)
    {
        try
        {
            entry.Callback();
        }
#pragma warning disable CA1031 // a failing timer callback must not take the process down
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Timer callback failed");
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
            Wake();
        }
    }

    private sealed class Entry(DateTimeOffset fireAt, Action callback) : IDisposable
    {
        private int _state; // 0 pending, 1 taken or cancelled

        public DateTimeOffset FireAt { get; } = fireAt;

        public Action Callback { get; } = callback;

        public bool Cancelled => Volatile.Read(ref _state) != 0;

        public bool TryTake() => Interlocked.Exchange(ref _state, 1) == 0;

        public void Dispose() => Interlocked.Exchange(ref _state, 1);
    }

    private sealed class Busy(TimeSkipping owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._busy);
                owner.Wake();
            }
        }
    }
}
