using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.EmbeddedTemporal.State;

internal enum ActivityState
{
    /// <summary>Waiting in its task queue.</summary>
    Scheduled,

    /// <summary>Waiting out a retry backoff before the next attempt is queued.</summary>
    Backoff,

    /// <summary>Taken by a worker.</summary>
    Started,
}

/// <summary>One pending activity of a run, across its attempts.</summary>
internal sealed class ActivityInfo
{
    public required long ScheduledEventId { get; init; }

    public required ActivityTaskScheduledEventAttributes Attributes { get; init; }

    public required RetryPolicy RetryPolicy { get; init; }

    public required DateTimeOffset ScheduledTime { get; init; }

    public string ActivityId => Attributes.ActivityId;

    public TimeSpan ScheduleToClose => Attributes.ScheduleToCloseTimeout?.ToTimeSpan() ?? TimeSpan.Zero;

    public TimeSpan ScheduleToStart => Attributes.ScheduleToStartTimeout?.ToTimeSpan() ?? TimeSpan.Zero;

    public TimeSpan StartToClose => Attributes.StartToCloseTimeout?.ToTimeSpan() ?? TimeSpan.Zero;

    public TimeSpan Heartbeat => Attributes.HeartbeatTimeout?.ToTimeSpan() ?? TimeSpan.Zero;

    /// <summary>
    /// When the activity was first scheduled: its retry expiration counts from here. A reset keeps
    /// the base run's schedule time (the retry expiration is not renewed by a reset).
    /// </summary>
    public required DateTimeOffset FirstScheduledTime { get; init; }

    /// <summary>The retry expiration: no attempt may start after it (schedule-to-close from the first schedule).</summary>
    public DateTimeOffset? Deadline => ScheduleToClose > TimeSpan.Zero ? FirstScheduledTime + ScheduleToClose : null;

    public ActivityState State { get; set; } = ActivityState.Scheduled;

    public int Attempt { get; set; } = 1;

    public DateTimeOffset CurrentAttemptScheduledTime { get; set; }

    public DateTimeOffset? StartedTime { get; set; }

    public string StartedIdentity { get; set; } = string.Empty;

    public string StartedRequestId { get; set; } = string.Empty;

    public Payloads? HeartbeatDetails { get; set; }

    public DateTimeOffset? LastHeartbeatTime { get; set; }

    /// <summary>The failure of the previous attempt (written on the started event of the last one).</summary>
    public Failure? LastFailure { get; set; }

    public DateTimeOffset? LastAttemptCompleteTime { get; set; }

    public TimeSpan? CurrentRetryInterval { get; set; }

    public bool CancelRequested { get; set; }

    public long CancelRequestedEventId { get; set; }

    public IDisposable? ScheduleToCloseTimer { get; set; }

    /// <summary>The timer of the current attempt phase: schedule-to-start, start-to-close or backoff.</summary>
    public IDisposable? AttemptTimer { get; set; }

    public IDisposable? HeartbeatTimer { get; set; }

    public void CancelAttemptTimers()
    {
        AttemptTimer?.Dispose();
        AttemptTimer = null;
        HeartbeatTimer?.Dispose();
        HeartbeatTimer = null;
    }

    public void CancelAllTimers()
    {
        CancelAttemptTimers();
        ScheduleToCloseTimer?.Dispose();
        ScheduleToCloseTimer = null;
    }
}
