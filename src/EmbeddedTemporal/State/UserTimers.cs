using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>The workflow's user timers (StartTimer / CancelTimer commands, TimerFired events).</summary>
internal sealed class UserTimers(WorkflowExecution run)
{
    private readonly Dictionary<string, (long StartedEventId, IDisposable Handle)> _timers = new(StringComparer.Ordinal);

    public bool Contains(string timerId) => _timers.ContainsKey(timerId);

    public void Start(string timerId, TimeSpan delay, long workflowTaskCompletedEventId)
    {
        var started = run.History.Append(new HistoryEvent
        {
            EventType = EventType.TimerStarted,
            TimerStartedEventAttributes = new TimerStartedEventAttributes
            {
                TimerId = timerId,
                StartToFireTimeout = Duration.FromTimeSpan(delay),
                WorkflowTaskCompletedEventId = workflowTaskCompletedEventId,
            },
        });
        Arm(timerId, started.EventId, started.EventTime.ToDateTimeOffset() + delay);
    }

    /// <summary>Re-arms a timer whose TimerStarted event a reset copied into a new run: it keeps its original fire time.</summary>
    public void Restore(string timerId, long startedEventId, DateTimeOffset fireAt) => Arm(timerId, startedEventId, fireAt);

    /// <summary>
    /// The runtime's timers may fire a few milliseconds early against the wall clock, while a
    /// workflow compares its timer with event times: an early wake-up waits out the rest.
    /// </summary>
    private void Arm(string timerId, long startedEventId, DateTimeOffset fireAt)
    {
        var handle = run.Server.Timers.Schedule(fireAt - run.Server.Now, () => run.WithLock(() =>
        {
            if (run.Server.Now < fireAt && _timers.TryGetValue(timerId, out var timer) && timer.StartedEventId == startedEventId)
            {
                Arm(timerId, startedEventId, fireAt);
                return;
            }

            Fire(timerId, startedEventId);
        }));
        _timers[timerId] = (startedEventId, handle);
    }

    public void Cancel(string timerId, long workflowTaskCompletedEventId, string identity)
    {
        var (startedId, handle) = _timers[timerId];
        handle.Dispose();
        _timers.Remove(timerId);
        run.History.Append(new HistoryEvent
        {
            EventType = EventType.TimerCanceled,
            TimerCanceledEventAttributes = new TimerCanceledEventAttributes
            {
                TimerId = timerId,
                StartedEventId = startedId,
                WorkflowTaskCompletedEventId = workflowTaskCompletedEventId,
                Identity = identity,
            },
        });
    }

    private void Fire(string timerId, long startedEventId)
    {
        if (!run.IsRunning || !_timers.TryGetValue(timerId, out var timer) || timer.StartedEventId != startedEventId)
        {
            return;
        }

        _timers.Remove(timerId);
        run.AddEvent(new HistoryEvent
        {
            EventType = EventType.TimerFired,
            TimerFiredEventAttributes = new TimerFiredEventAttributes { TimerId = timerId, StartedEventId = startedEventId },
        });
        run.ScheduleWorkflowTask();
    }

    public void Clear()
    {
        foreach (var (_, handle) in _timers.Values)
        {
            handle.Dispose();
        }

        _timers.Clear();
    }
}
