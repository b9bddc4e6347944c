using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// The history of one run: contiguous event ids from 1, each event stamped with a time, and a
/// buffer for events that arrive while a workflow task is out. Buffered activity results may
/// point at a started event in the same buffer (started id -1 until flushed).
/// </summary>
internal sealed class HistoryLog
{
    /// <summary>Placeholder for "the started event written just before me in the buffer".</summary>
    public const long PendingStartedEventId = -1;

    private readonly List<HistoryEvent> _events = [];
    private readonly List<HistoryEvent> _buffer = [];
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();

    public HistoryLog(TimeProvider time) => _time = time;

    public IReadOnlyList<HistoryEvent> Events => _events;

    public long LastEventId => _events.Count;

    public bool HasBuffered => _buffer.Count > 0;

    /// <summary>Completes when an event is appended (take it under the namespace lock, await outside).</summary>
    public Task Changed => _changed.Task;

    public HistoryEvent Append(HistoryEvent historyEvent)
    {
        historyEvent.EventId = _events.Count + 1;
        historyEvent.EventTime ??= Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        _events.Add(historyEvent);
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
        return historyEvent;
    }

    public void Buffer(HistoryEvent historyEvent)
    {
        historyEvent.EventTime ??= Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        _buffer.Add(historyEvent);
    }

    public void FlushBuffer()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        var startedByScheduledId = new Dictionary<long, long>();
        var pending = _buffer.ToList();
        _buffer.Clear();
        foreach (var historyEvent in pending)
        {
            Append(historyEvent);
            switch (historyEvent.EventType)
            {
                case EventType.ActivityTaskStarted:
                    startedByScheduledId[historyEvent.ActivityTaskStartedEventAttributes.ScheduledEventId] = historyEvent.EventId;
                    break;
                case EventType.ActivityTaskCompleted when historyEvent.ActivityTaskCompletedEventAttributes is { StartedEventId: PendingStartedEventId } a:
                    a.StartedEventId = startedByScheduledId.GetValueOrDefault(a.ScheduledEventId);
                    break;
                case EventType.ActivityTaskFailed when historyEvent.ActivityTaskFailedEventAttributes is { StartedEventId: PendingStartedEventId } a:
                    a.StartedEventId = startedByScheduledId.GetValueOrDefault(a.ScheduledEventId);
                    break;
                case EventType.ActivityTaskTimedOut when historyEvent.ActivityTaskTimedOutEventAttributes is { StartedEventId: PendingStartedEventId } a:
                    a.StartedEventId = startedByScheduledId.GetValueOrDefault(a.ScheduledEventId);
                    break;
                case EventType.ActivityTaskCanceled when historyEvent.ActivityTaskCanceledEventAttributes is { StartedEventId: PendingStartedEventId } a:
                    a.StartedEventId = startedByScheduledId.GetValueOrDefault(a.ScheduledEventId);
                    break;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
