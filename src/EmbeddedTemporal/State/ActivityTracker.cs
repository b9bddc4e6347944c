using EventProcessor.EmbeddedTemporal.Frontend;
using EventProcessor.EmbeddedTemporal.Matching;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// The activity state machine of one run: scheduling, dispatch, heartbeats, timeouts and
/// server-side retries. Retries are invisible in history: only the last attempt writes
/// ActivityTaskStarted (with attempt and last failure) and its close event.
/// </summary>
internal sealed class ActivityTracker(WorkflowExecution run)
{
    private readonly Dictionary<long, ActivityInfo> _activities = [];

    public IEnumerable<ActivityInfo> Pending => _activities.Values;

    public bool ContainsActivityId(string activityId) => _activities.Values.Any(a => a.ActivityId == activityId);

    public bool Contains(long scheduledEventId) => _activities.ContainsKey(scheduledEventId);

    private DateTimeOffset Now => run.Server.Now;

    /// <summary>Writes ActivityTaskScheduled for an already validated and defaulted command and queues attempt 1.</summary>
    public void Schedule(ActivityTaskScheduledEventAttributes attributes, UserMetadata? metadata)
    {
        var scheduled = run.History.Append(new HistoryEvent
        {
            EventType = EventType.ActivityTaskScheduled,
            ActivityTaskScheduledEventAttributes = attributes,
            UserMetadata = metadata,
        });
        // The retry expiration counts from the scheduled event's time, as the server's activity info does.
        Track(scheduled.EventId, attributes, scheduled.EventTime.ToDateTimeOffset());
    }

    /// <summary>
    /// Re-queues an activity whose ActivityTaskScheduled event a reset copied into a new run: it is
    /// queued now, from attempt 1, but keeps the retry expiration it had in the base run (schedule
    /// time of <paramref name="scheduledAt"/> + schedule-to-close), as the server's workflow
    /// resetter rebuilds it from the scheduled event (service/history/ndc/workflow_resetter.go).
    /// </summary>
    public ActivityInfo Restore(long scheduledEventId, ActivityTaskScheduledEventAttributes attributes, DateTimeOffset scheduledAt) =>
        Track(scheduledEventId, attributes, scheduledAt);

    private ActivityInfo Track(long scheduledEventId, ActivityTaskScheduledEventAttributes attributes, DateTimeOffset? firstScheduledAt = null)
    {
        var activity = new ActivityInfo
        {
            ScheduledEventId = scheduledEventId,
            Attributes = attributes,
            RetryPolicy = attributes.RetryPolicy,
            ScheduledTime = Now,
            FirstScheduledTime = firstScheduledAt ?? Now,
        };
        _activities[scheduledEventId] = activity;
        if (activity.Deadline is { } deadline)
        {
            var remaining = deadline - Now;
            activity.ScheduleToCloseTimer = run.Server.Timers.Schedule(
                remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
                () => run.WithLock(() => OnScheduleToCloseTimeout(scheduledEventId)));
        }

        QueueAttempt(activity);
        return activity;
    }

    private void QueueAttempt(ActivityInfo activity)
    {
        activity.State = ActivityState.Scheduled;
        activity.CurrentAttemptScheduledTime = Now;
        activity.CancelAttemptTimers();
        var attempt = activity.Attempt;
        var scheduledId = activity.ScheduledEventId;
        if (activity.ScheduleToStart > TimeSpan.Zero)
        {
            activity.AttemptTimer = run.Server.Timers.Schedule(
                activity.ScheduleToStart,
                () => run.WithLock(() => OnScheduleToStartTimeout(scheduledId, attempt)));
        }

        run.Server.Matching.AddActivityTask(run.Namespace.Name, activity.Attributes.TaskQueue.Name, new ActivityDispatch(run, scheduledId, attempt));
    }

    /// <summary>Hands an attempt to a poller; null when it went stale in the queue.</summary>
    public PollActivityTaskQueueResponse? TryStart(long scheduledEventId, int attempt, PollActivityTaskQueueRequest poll)
    {
        if (!run.IsRunning || !_activities.TryGetValue(scheduledEventId, out var activity)
            || activity.State != ActivityState.Scheduled || activity.Attempt != attempt)
        {
            return null;
        }

        activity.State = ActivityState.Started;
        activity.StartedTime = Now;
        activity.StartedIdentity = poll.Identity;
        activity.StartedRequestId = Guid.NewGuid().ToString();
        activity.LastHeartbeatTime = null;
        activity.CancelAttemptTimers();
        if (activity.StartToClose > TimeSpan.Zero)
        {
            activity.AttemptTimer = run.Server.Timers.Schedule(
                activity.StartToClose,
                () => run.WithLock(() => OnStartToCloseTimeout(scheduledEventId, attempt)));
        }

        ArmHeartbeatTimer(activity);
        var a = activity.Attributes;
        return new PollActivityTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Activity, run.Namespace.Name, run.WorkflowId, run.RunId, scheduledEventId, attempt).ToByteString(),
            WorkflowNamespace = run.Namespace.Name,
            WorkflowType = run.Start.WorkflowType,
            WorkflowExecution = run.Execution,
            ActivityType = a.ActivityType,
            ActivityId = a.ActivityId,
            Header = a.Header,
            Input = a.Input,
            HeartbeatDetails = activity.HeartbeatDetails,
            ScheduledTime = Timestamp.FromDateTimeOffset(activity.ScheduledTime),
            CurrentAttemptScheduledTime = Timestamp.FromDateTimeOffset(activity.CurrentAttemptScheduledTime),
            StartedTime = Timestamp.FromDateTimeOffset(activity.StartedTime.Value),
            Attempt = attempt,
            ScheduleToCloseTimeout = a.ScheduleToCloseTimeout,
            StartToCloseTimeout = a.StartToCloseTimeout,
            HeartbeatTimeout = a.HeartbeatTimeout,
            RetryPolicy = a.RetryPolicy,
        };
    }

    private void ArmHeartbeatTimer(ActivityInfo activity)
    {
        activity.HeartbeatTimer?.Dispose();
        activity.HeartbeatTimer = null;
        if (activity.Heartbeat <= TimeSpan.Zero)
        {
            return;
        }

        var scheduledId = activity.ScheduledEventId;
        var attempt = activity.Attempt;
        activity.HeartbeatTimer = run.Server.Timers.Schedule(
            activity.Heartbeat,
            () => run.WithLock(() => OnHeartbeatTimeout(scheduledId, attempt)));
    }

    /// <summary>The started attempt a token names; NOT_FOUND as a real server answers when stale.</summary>
    public ActivityInfo GetStarted(TaskToken token)
    {
        if (!run.IsRunning || !_activities.TryGetValue(token.ScheduledEventId, out var activity)
            || activity.State != ActivityState.Started || activity.Attempt != token.Attempt)
        {
            throw RpcErrors.NotFound("invalid activityID or activity already timed out or invoking workflow is completed");
        }

        return activity;
    }

    public bool Heartbeat(ActivityInfo activity, Payloads? details)
    {
        activity.HeartbeatDetails = details;
        activity.LastHeartbeatTime = Now;
        ArmHeartbeatTimer(activity);
        return activity.CancelRequested;
    }

    public void Complete(ActivityInfo activity, Payloads? result, string identity)
    {
        var startedId = WriteStarted(activity);
        Close(activity, new HistoryEvent
        {
            EventType = EventType.ActivityTaskCompleted,
            ActivityTaskCompletedEventAttributes = new ActivityTaskCompletedEventAttributes
            {
                Result = result,
                ScheduledEventId = activity.ScheduledEventId,
                StartedEventId = startedId,
                Identity = identity,
            },
        });
    }

    public void Fail(ActivityInfo activity, Failure failure, Payloads? lastHeartbeatDetails, string identity)
    {
        if (lastHeartbeatDetails is not null)
        {
            activity.HeartbeatDetails = lastHeartbeatDetails;
        }

        FailAttempt(activity, failure, identity);
    }

    public void Canceled(ActivityInfo activity, Payloads? details, string identity)
    {
        var startedId = WriteStarted(activity);
        Close(activity, new HistoryEvent
        {
            EventType = EventType.ActivityTaskCanceled,
            ActivityTaskCanceledEventAttributes = new ActivityTaskCanceledEventAttributes
            {
                Details = details,
                ScheduledEventId = activity.ScheduledEventId,
                StartedEventId = startedId,
                LatestCancelRequestedEventId = activity.CancelRequestedEventId,
                Identity = identity,
            },
        });
    }

    /// <summary>RequestCancelActivityTask: cancels at once when no worker holds the attempt, else asks the worker via heartbeats.</summary>
    /// <returns>True when the activity was canceled at once (a new workflow task is needed).</returns>
    public bool RequestCancel(long scheduledEventId, long workflowTaskCompletedEventId)
    {
        var activity = _activities[scheduledEventId];
        var requested = run.History.Append(new HistoryEvent
        {
            EventType = EventType.ActivityTaskCancelRequested,
            ActivityTaskCancelRequestedEventAttributes = new ActivityTaskCancelRequestedEventAttributes
            {
                ScheduledEventId = scheduledEventId,
                WorkflowTaskCompletedEventId = workflowTaskCompletedEventId,
            },
        });
        activity.CancelRequested = true;
        activity.CancelRequestedEventId = requested.EventId;
        if (activity.State == ActivityState.Started)
        {
            return false;
        }

        Close(activity, new HistoryEvent
        {
            EventType = EventType.ActivityTaskCanceled,
            ActivityTaskCanceledEventAttributes = new ActivityTaskCanceledEventAttributes
            {
                ScheduledEventId = scheduledEventId,
                LatestCancelRequestedEventId = requested.EventId,
            },
        }, scheduleWorkflowTask: false);
        return true;
    }

    private void FailAttempt(ActivityInfo activity, Failure failure, string identity)
    {
        var backoff = TimeSpan.Zero;
        var state = activity.CancelRequested
            ? RetryState.CancelRequested
            : RetryPolicies.Evaluate(activity.RetryPolicy, activity.Attempt, failure, Now, activity.Deadline, out backoff);
        if (state == RetryState.InProgress)
        {
            activity.LastFailure = failure;
            activity.LastAttemptCompleteTime = Now;
            activity.CurrentRetryInterval = backoff;
            activity.Attempt++;
            activity.State = ActivityState.Backoff;
            activity.StartedTime = null;
            activity.CancelAttemptTimers();
            var scheduledId = activity.ScheduledEventId;
            var attempt = activity.Attempt;
            activity.CurrentAttemptScheduledTime = Now + backoff;
            activity.AttemptTimer = run.Server.Timers.Schedule(backoff, () => run.WithLock(() => OnBackoffDone(scheduledId, attempt)));
            return;
        }

        var startedId = WriteStarted(activity);
        if (failure.TimeoutFailureInfo is not null)
        {
            // A timeout whose next attempt would start after the retry expiration is reported as the
            // schedule-to-close timeout it amounts to (processSingleActivityTimeoutTask in
            // service/history/timer_queue_active_task_executor.go).
            var reported = state == RetryState.Timeout ? TimeoutFailure(activity, TimeoutType.ScheduleToClose) : failure;
            Close(activity, TimedOutEvent(activity, reported, startedId, state));
            return;
        }

        Close(activity, new HistoryEvent
        {
            EventType = EventType.ActivityTaskFailed,
            ActivityTaskFailedEventAttributes = new ActivityTaskFailedEventAttributes
            {
                Failure = failure,
                ScheduledEventId = activity.ScheduledEventId,
                StartedEventId = startedId,
                Identity = identity,
                RetryState = state,
            },
        });
    }

    private void OnBackoffDone(long scheduledEventId, int attempt)
    {
        if (run.IsRunning && _activities.TryGetValue(scheduledEventId, out var activity)
            && activity.State == ActivityState.Backoff && activity.Attempt == attempt)
        {
            QueueAttempt(activity);
        }
    }

    private void OnScheduleToStartTimeout(long scheduledEventId, int attempt)
    {
        if (run.IsRunning && _activities.TryGetValue(scheduledEventId, out var activity)
            && activity.State == ActivityState.Scheduled && activity.Attempt == attempt)
        {
            // Not retried: the server's RetryActivity finds a schedule-to-start timeout not retryable
            // (isRetryable in service/history/workflow/retry.go retries only start-to-close and
            // heartbeat timeouts), so the event keeps the schedule-to-start type with
            // RETRY_STATE_NON_RETRYABLE_FAILURE (or CANCEL_REQUESTED when a cancel is pending).
            var state = activity.CancelRequested ? RetryState.CancelRequested : RetryState.NonRetryableFailure;
            Close(activity, TimedOutEvent(activity, TimeoutFailure(activity, TimeoutType.ScheduleToStart), 0, state));
        }
    }

    private void OnStartToCloseTimeout(long scheduledEventId, int attempt)
    {
        if (run.IsRunning && _activities.TryGetValue(scheduledEventId, out var activity)
            && activity.State == ActivityState.Started && activity.Attempt == attempt)
        {
            FailAttempt(activity, TimeoutFailure(activity, TimeoutType.StartToClose), activity.StartedIdentity);
        }
    }

    private void OnHeartbeatTimeout(long scheduledEventId, int attempt)
    {
        if (run.IsRunning && _activities.TryGetValue(scheduledEventId, out var activity)
            && activity.State == ActivityState.Started && activity.Attempt == attempt)
        {
            FailAttempt(activity, TimeoutFailure(activity, TimeoutType.Heartbeat), activity.StartedIdentity);
        }
    }

    private void OnScheduleToCloseTimeout(long scheduledEventId)
    {
        if (!run.IsRunning || !_activities.TryGetValue(scheduledEventId, out var activity))
        {
            return;
        }

        // The server hands this timeout to RetryActivity too, which finds a schedule-to-close timeout
        // not retryable (isRetryable in service/history/workflow/retry.go): the event carries
        // RETRY_STATE_NON_RETRYABLE_FAILURE, or CANCEL_REQUESTED when a cancel is pending.
        var failure = TimeoutFailure(activity, TimeoutType.ScheduleToClose);
        var state = activity.CancelRequested ? RetryState.CancelRequested : RetryState.NonRetryableFailure;
        var startedId = WriteStarted(activity);
        Close(activity, TimedOutEvent(activity, failure, startedId, state));
    }

    private static Failure TimeoutFailure(ActivityInfo activity, TimeoutType type) => new()
    {
        Message = $"activity {RetryPolicies.TimeoutName(type)} timeout",
        Source = "Server",
        TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = type, LastHeartbeatDetails = activity.HeartbeatDetails },
    };

    private static HistoryEvent TimedOutEvent(ActivityInfo activity, Failure failure, long startedId, RetryState state)
    {
        if (failure.Cause is null && activity.LastFailure is not null)
        {
            failure.Cause = activity.LastFailure;
        }

        return new HistoryEvent
        {
            EventType = EventType.ActivityTaskTimedOut,
            ActivityTaskTimedOutEventAttributes = new ActivityTaskTimedOutEventAttributes
            {
                Failure = failure,
                ScheduledEventId = activity.ScheduledEventId,
                StartedEventId = startedId,
                RetryState = state,
            },
        };
    }

    /// <summary>Writes the started event of the closing attempt, if a worker took it; returns its id (or the buffered placeholder).</summary>
    private long WriteStarted(ActivityInfo activity)
    {
        if (activity.State != ActivityState.Started)
        {
            return 0;
        }

        var started = run.AddEvent(new HistoryEvent
        {
            EventType = EventType.ActivityTaskStarted,
            ActivityTaskStartedEventAttributes = new ActivityTaskStartedEventAttributes
            {
                ScheduledEventId = activity.ScheduledEventId,
                Identity = activity.StartedIdentity,
                RequestId = activity.StartedRequestId,
                Attempt = activity.Attempt,
                LastFailure = activity.LastFailure,
            },
        });
        if (activity.StartedTime is { } startedTime)
        {
            started.EventTime = Timestamp.FromDateTimeOffset(startedTime);
        }

        return run.IsBuffering ? HistoryLog.PendingStartedEventId : started.EventId;
    }

    private void Close(ActivityInfo activity, HistoryEvent closeEvent, bool scheduleWorkflowTask = true)
    {
        activity.CancelAllTimers();
        _activities.Remove(activity.ScheduledEventId);
        run.AddEvent(closeEvent);
        if (scheduleWorkflowTask)
        {
            run.ScheduleWorkflowTask();
        }
    }

    public void Clear()
    {
        foreach (var activity in _activities.Values)
        {
            activity.CancelAllTimers();
        }

        _activities.Clear();
    }
}

/// <summary>An activity attempt waiting in a task queue.</summary>
internal sealed class ActivityDispatch(WorkflowExecution run, long scheduledEventId, int attempt) : IActivityTaskDispatch
{
    public PollActivityTaskQueueResponse? TryStart(PollActivityTaskQueueRequest poll)
    {
        lock (run.Namespace.Sync)
        {
            return run.Activities.TryStart(scheduledEventId, attempt, poll);
        }
    }
}
