namespace EventProcessor.EmbeddedTemporal.Matching;

/// <summary>
/// One task queue: a FIFO of tasks and a FIFO of waiting long polls. A task added while a poll
/// waits goes straight to that poll; otherwise it waits for the next poll.
/// </summary>
internal sealed class TaskQueue<T>
    where T : class
{
    private readonly object _sync = new();
    private readonly Queue<T> _tasks = new();
    private readonly LinkedList<TaskCompletionSource<T?>> _pollers = new();
    private long? _lastPollSeenMs;

    /// <summary>
    /// Whether a poller waits now or one came or left within <paramref name="window"/> (wall time):
    /// matching's <c>HasPollerAfter</c>, which decides whether a sticky worker is still there.
    /// </summary>
    public bool HasPollerWithin(TimeSpan window)
    {
        lock (_sync)
        {
            return _pollers.Count > 0 || (_lastPollSeenMs is { } seen && Environment.TickCount64 - seen <= (long)window.TotalMilliseconds);
        }
    }

    public int Backlog
    {
        get
        {
            lock (_sync)
            {
                return _tasks.Count;
            }
        }
    }

    public void Add(T task)
    {
        lock (_sync)
        {
            while (_pollers.First is { } first)
            {
                _pollers.RemoveFirst();
                _lastPollSeenMs = Environment.TickCount64;
                if (first.Value.TrySetResult(task))
                {
                    return;
                }
            }

            _tasks.Enqueue(task);
        }
    }

    /// <summary>Takes every queued task (used when a sticky queue's worker goes away).</summary>
    public IReadOnlyList<T> DrainAll()
    {
        lock (_sync)
        {
            var all = _tasks.ToList();
            _tasks.Clear();
            return all;
        }
    }

    /// <summary>Waits for a task; null when <paramref name="timeout"/> passes or the call is cancelled.</summary>
    public async Task<T?> PollAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<T?> waiter;
        LinkedListNode<TaskCompletionSource<T?>> node;
        lock (_sync)
        {
            _lastPollSeenMs = Environment.TickCount64;
            if (_tasks.TryDequeue(out var ready))
            {
                return ready;
            }

            waiter = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _pollers.AddLast(waiter);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using (timeoutSource.Token.Register(() =>
        {
            lock (_sync)
            {
                _lastPollSeenMs = Environment.TickCount64;
                if (waiter.TrySetResult(null) && node.List is not null)
                {
                    _pollers.Remove(node);
                }
            }
        }))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }
}
