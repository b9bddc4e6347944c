namespace EventProcessor.EmbeddedTemporal.State;

internal enum WorkflowTaskState
{
    None,
    Scheduled,
    Started,
}

/// <summary>The run's one outstanding workflow task, if any.</summary>
internal sealed class WorkflowTaskInfo
{
    public WorkflowTaskState State { get; set; }

    /// <summary>Identifies one scheduling of the task (queued dispatches, tokens and timers carry it).</summary>
    public long Sequence { get; set; }

    /// <summary>
    /// A retry (attempt &gt; 1) is transient, as on a real server: its scheduled and started
    /// events are only shown to the poller, and written to history when the task completes.
    /// </summary>
    public bool Transient { get; set; }

    public Temporalio.Api.History.V1.HistoryEvent? TransientScheduled { get; set; }

    public Temporalio.Api.History.V1.HistoryEvent? TransientStarted { get; set; }

    public long ScheduledEventId { get; set; }

    public long StartedEventId { get; set; }

    public int Attempt { get; set; } = 1;

    public string QueueName { get; set; } = string.Empty;

    public bool IsSticky { get; set; }

    public DateTimeOffset ScheduledTime { get; set; }

    public DateTimeOffset? StartedTime { get; set; }

    public IDisposable? Timer { get; set; }

    public void CancelTimer()
    {
        Timer?.Dispose();
        Timer = null;
    }
}
