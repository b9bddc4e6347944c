using EventProcessor.EmbeddedTemporal.Frontend;
using EventProcessor.EmbeddedTemporal.Matching;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.WorkflowService.V1;
using TaskQueueProto = Temporalio.Api.TaskQueue.V1.TaskQueue;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// The mutable state of one workflow run: its history, its workflow task, its pending activities
/// and timers, and the transitions between them. Every member runs under
/// <see cref="TemporalNamespace.Sync"/>; timer callbacks take that lock themselves.
/// </summary>
internal sealed class WorkflowExecution
{
    private readonly List<QueryTask> _queriesAwaitingTask = [];
    private readonly HashSet<string> _signalRequestIds = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IDisposable? _runTimeoutTimer;

    private WorkflowExecution(TemporalNamespace ns, StartParameters start, string? runId = null, string? firstExecutionRunId = null)
    {
        Namespace = ns;
        Server = ns.Server;
        Start = start;
        RunId = runId ?? start.Retry?.RunId ?? Guid.NewGuid().ToString();
        FirstExecutionRunId = firstExecutionRunId ?? start.Retry?.FirstExecutionRunId ?? RunId;
        History = new HistoryLog(Server.Time);
        Activities = new ActivityTracker(this);
        Timers = new UserTimers(this);
        Children = new ChildWorkflows(this);
        StartTime = Server.Now;
        SearchAttributes = start.SearchAttributes.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
        Memo = start.Memo?.Clone() ?? new Memo();
    }

    public TemporalNamespace Namespace { get; }

    public ServerContext Server { get; }

    public StartParameters Start { get; }

    public string WorkflowId => Start.WorkflowId;

    public string RunId { get; }

    /// <summary>The run's attempt in its chain of workflow retries (1 for a first run).</summary>
    public int Attempt => Start.Retry?.Attempt ?? 1;

    public string FirstExecutionRunId { get; }

    /// <summary>Set on a run that was reset: the run the reset created.</summary>
    public string? ResetRunId { get; internal set; }

    /// <summary>Set on a run created by a reset: when, and the start time of the run it was forked from.</summary>
    public (DateTimeOffset ResetTime, DateTimeOffset OriginalStartTime)? ResetOrigin { get; private set; }

    /// <summary>When the whole execution (all retries) must end, if an execution timeout is set.</summary>
    public DateTimeOffset? ExecutionExpiration { get; private set; }

    /// <summary>
    /// Creates the run a reset forks from <paramref name="baseRun"/>: no events yet; the resetter
    /// copies the base history and rebuilds the pending state from it.
    /// </summary>
    internal static WorkflowExecution CreateForReset(WorkflowExecution baseRun, string runId, string requestId)
    {
        var start = baseRun.Start with { RequestId = requestId, Signal = null };
        return new WorkflowExecution(baseRun.Namespace, start, runId, baseRun.FirstExecutionRunId)
        {
            ExecutionExpiration = baseRun.ExecutionExpiration,
            ResetOrigin = (baseRun.Server.Now, baseRun.ResetOrigin?.OriginalStartTime ?? baseRun.StartTime),
        };
    }

    /// <summary>After a reset copied the history: adopt the rebuilt state, arm the run timeout and ask for a workflow task.</summary>
    internal void ActivateAfterReset(long lastCompletedStartedEventId, bool cancelRequested)
    {
        LastCompletedStartedEventId = lastCompletedStartedEventId;
        CancelRequested = cancelRequested;
        var runTimeout = Start.RunTimeout;
        if (ExecutionExpiration is { } end && (runTimeout is null || end - Server.Now < runTimeout))
        {
            runTimeout = end - Server.Now;
        }

        if (runTimeout is { } timeout)
        {
            _runTimeoutTimer = Server.Timers.Schedule(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1), () => WithLock(OnRunTimeout));
        }

        Namespace.AddRun(this);
        ScheduleWorkflowTask();
    }

    /// <summary>A retried run waits out its backoff before its first workflow task.</summary>
    private bool _inFirstTaskBackoff;

    public WorkflowExecutionStatus Status { get; private set; } = WorkflowExecutionStatus.Running;

    public bool IsRunning => Status == WorkflowExecutionStatus.Running;

    public DateTimeOffset StartTime { get; }

    public DateTimeOffset? CloseTime { get; private set; }

    /// <summary>When the first workflow task may run: the start plus any first-task backoff (a retry's or a continue-as-new's; a reset run has waited already).</summary>
    public DateTimeOffset ExecutionTime => StartTime + (ResetOrigin is null ? Start.Retry?.Backoff ?? TimeSpan.Zero : TimeSpan.Zero);

    public HistoryLog History { get; }

    public WorkflowTaskInfo Task { get; } = new();

    public ActivityTracker Activities { get; }

    public UserTimers Timers { get; }

    public ChildWorkflows Children { get; }

    private readonly List<Action> _afterTask = [];

    /// <summary>
    /// Work a command starts that must follow the workflow task's events (a child's start, an
    /// external signal or cancel), run once the completed task is written, as a real server's
    /// transfer tasks do.
    /// </summary>
    public void AfterTask(Action action) => _afterTask.Add(action);

    public Dictionary<string, Payload> SearchAttributes { get; }

    public Memo Memo { get; }

    public string? StickyQueue { get; private set; }

    public TimeSpan StickyScheduleToStartTimeout { get; private set; }

    /// <summary>Started event id of the last completed workflow task (the SDK's previous_started_event_id).</summary>
    public long LastCompletedStartedEventId { get; private set; }

    public bool CancelRequested { get; private set; }

    public Temporalio.Api.Common.V1.WorkflowExecution Execution => new() { WorkflowId = WorkflowId, RunId = RunId };

    public HistoryEvent? CloseEvent => IsRunning ? null : History.Events[^1];

    /// <summary>Completes when the run closes (for close-event long polls, which need no other wake-ups).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Creates a run: started event, the signal of a signal-with-start, and the first workflow task.</summary>
    public static WorkflowExecution Create(TemporalNamespace ns, StartParameters start)
    {
        var run = new WorkflowExecution(ns, start);
        var now = run.Server.Now;
        var retry = start.Retry;
        run.ExecutionExpiration = retry is not null ? retry.ExecutionExpiration
            : start.ExecutionTimeout is { } executionTimeout ? now + executionTimeout : null;
        var started = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = start.WorkflowType,
            TaskQueue = new TaskQueueProto { Name = start.TaskQueue, Kind = TaskQueueKind.Normal },
            Input = start.Input,
            Header = start.Header,
            Memo = start.Memo,
            SearchAttributes = ToProto(run.SearchAttributes),
            WorkflowExecutionTimeout = ToDuration(start.ExecutionTimeout),
            WorkflowRunTimeout = ToDuration(start.RunTimeout ?? start.ExecutionTimeout),
            WorkflowTaskTimeout = Duration.FromTimeSpan(start.TaskTimeout),
            Identity = start.Identity,
            OriginalExecutionRunId = run.RunId,
            FirstExecutionRunId = run.FirstExecutionRunId,
            Attempt = run.Attempt,
            RetryPolicy = start.RetryPolicy,
            CronSchedule = start.CronSchedule ?? string.Empty,
            WorkflowId = start.WorkflowId,
        };
        if (start.Parent is { } parent)
        {
            started.ParentWorkflowNamespace = parent.Namespace;
            started.ParentWorkflowNamespaceId = parent.NamespaceId;
            started.ParentWorkflowExecution = parent.Execution;
            started.ParentInitiatedEventId = parent.InitiatedEventId;
            started.RootWorkflowExecution = parent.RootExecution;
        }

        if (run.ExecutionExpiration is { } expiration)
        {
            started.WorkflowExecutionExpirationTime = Timestamp.FromDateTimeOffset(expiration);
        }

        if (retry is not null)
        {
            started.ContinuedExecutionRunId = retry.PreviousRunId;
            started.ContinuedFailure = retry.Failure;
            started.Initiator = retry.Initiator;
            started.FirstWorkflowTaskBackoff = Duration.FromTimeSpan(retry.Backoff);
            started.LastCompletionResult = retry.LastCompletionResult;
        }

        run.History.Append(new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionStarted,
            WorkflowExecutionStartedEventAttributes = started,
            UserMetadata = start.UserMetadata,
        });

        if (start.Signal is { } signal)
        {
            run.History.Append(SignaledEvent(signal));
        }

        var backoff = retry?.Backoff ?? TimeSpan.Zero;
        var runTimeout = start.RunTimeout is { } r ? backoff + r : (TimeSpan?)null;
        if (run.ExecutionExpiration is { } end && (runTimeout is null || end - now < runTimeout))
        {
            runTimeout = end - now;
        }

        if (runTimeout is { } timeout)
        {
            run._runTimeoutTimer = run.Server.Timers.Schedule(timeout, () => run.WithLock(run.OnRunTimeout));
        }

        ns.AddRun(run);
        if (backoff > TimeSpan.Zero)
        {
            run._inFirstTaskBackoff = true;
            run.Server.Timers.Schedule(backoff, () => run.WithLock(() =>
            {
                run._inFirstTaskBackoff = false;
                run.ScheduleWorkflowTask();
            }));
        }
        else
        {
            run.ScheduleWorkflowTask();
        }

        return run;
    }

    public void WithLock(Action action)
    {
        lock (Namespace.Sync)
        {
            action();
        }
    }

    /// <summary>Adds an event now, or buffers it while a workflow task is out.</summary>
    public HistoryEvent AddEvent(HistoryEvent historyEvent)
    {
        if (Task.State == WorkflowTaskState.Started)
        {
            History.Buffer(historyEvent);
            return historyEvent;
        }

        return History.Append(historyEvent);
    }

    public bool IsBuffering => Task.State == WorkflowTaskState.Started;

    // ---- workflow tasks -------------------------------------------------------------------

    /// <summary>Schedules a workflow task unless one is already outstanding or the run is closed.</summary>
    public void ScheduleWorkflowTask()
    {
        if (!IsRunning || Task.State != WorkflowTaskState.None || _inFirstTaskBackoff)
        {
            return;
        }

        if (StickyQueue is { } stickyQueue && !Server.Matching.StickyWorkerAvailable(Namespace.Name, stickyQueue))
        {
            // No poller on the sticky queue for a while (a worker that died or left): the normal queue, as a real server does.
            StickyQueue = null;
        }

        var sticky = StickyQueue;
        var queue = sticky ?? Start.TaskQueue;
        var scheduled = new HistoryEvent
        {
            EventType = EventType.WorkflowTaskScheduled,
            EventTime = Timestamp.FromDateTimeOffset(Server.Now),
            WorkflowTaskScheduledEventAttributes = new WorkflowTaskScheduledEventAttributes
            {
                TaskQueue = sticky is null
                    ? new TaskQueueProto { Name = queue, Kind = TaskQueueKind.Normal }
                    : new TaskQueueProto { Name = queue, Kind = TaskQueueKind.Sticky, NormalName = Start.TaskQueue },
                StartToCloseTimeout = Duration.FromTimeSpan(Start.TaskTimeout),
                Attempt = Task.Attempt,
            },
        };
        Task.Sequence++;
        Task.State = WorkflowTaskState.Scheduled;
        Task.Transient = Task.Attempt > 1;
        Task.TransientScheduled = Task.Transient ? scheduled : null;
        Task.TransientStarted = null;
        Task.ScheduledEventId = Task.Transient ? 0 : History.Append(scheduled).EventId;
        Task.StartedEventId = 0;
        Task.QueueName = queue;
        Task.IsSticky = sticky is not null;
        Task.ScheduledTime = Server.Now;
        Task.StartedTime = null;
        Task.CancelTimer();
        var sequence = Task.Sequence;
        if (sticky is not null)
        {
            Task.Timer = Server.Timers.Schedule(StickyScheduleToStartTimeout, () => WithLock(() => OnStickyScheduleToStartTimeout(sequence)));
        }

        Server.Matching.AddWorkflowTask(Namespace.Name, queue, new WorkflowTaskDispatch(this, sequence));
    }

    /// <summary>Hands the scheduled workflow task to a poller; null when the task is gone.</summary>
    public PollWorkflowTaskQueueResponse? TryStartWorkflowTask(long sequence, PollWorkflowTaskQueueRequest poll)
    {
        if (!IsRunning || Task.State != WorkflowTaskState.Scheduled || Task.Sequence != sequence)
        {
            return null;
        }

        if (Task.Transient)
        {
            Task.ScheduledEventId = History.LastEventId + 1;
            Task.TransientScheduled!.EventId = Task.ScheduledEventId;
        }

        var started = new HistoryEvent
        {
            EventType = EventType.WorkflowTaskStarted,
            EventTime = Timestamp.FromDateTimeOffset(Server.Now),
            WorkflowTaskStartedEventAttributes = new WorkflowTaskStartedEventAttributes
            {
                ScheduledEventId = Task.ScheduledEventId,
                Identity = poll.Identity,
                RequestId = Guid.NewGuid().ToString(),
            },
        };
        if (Task.Transient)
        {
            started.EventId = Task.ScheduledEventId + 1;
            Task.TransientStarted = started;
        }
        else
        {
            History.Append(started);
        }

        Task.State = WorkflowTaskState.Started;
        Task.StartedEventId = started.EventId;
        Task.StartedTime = Server.Now;
        Task.CancelTimer();
        var attempt = Task.Attempt;
        Task.Timer = Server.Timers.Schedule(Start.TaskTimeout, () => WithLock(() => OnStartToCloseTimeout(sequence, attempt)));

        var response = new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Workflow, Namespace.Name, WorkflowId, RunId, sequence, attempt).ToByteString(),
            WorkflowExecution = Execution,
            WorkflowType = Start.WorkflowType,
            PreviousStartedEventId = LastCompletedStartedEventId,
            StartedEventId = started.EventId,
            Attempt = attempt,
            History = new History(),
            WorkflowExecutionTaskQueue = new TaskQueueProto { Name = Start.TaskQueue, Kind = TaskQueueKind.Normal },
            ScheduledTime = Timestamp.FromDateTimeOffset(Task.ScheduledTime),
            StartedTime = Timestamp.FromDateTimeOffset(Task.StartedTime.Value),
        };

        // A sticky poller has the run cached: it gets only what happened since its last task.
        var firstEventId = Task.IsSticky && LastCompletedStartedEventId > 0 ? LastCompletedStartedEventId + 1 : 1;
        for (var i = (int)firstEventId - 1; i < History.Events.Count; i++)
        {
            response.History.Events.Add(History.Events[i]);
        }

        if (Task.Transient)
        {
            response.History.Events.Add(Task.TransientScheduled);
            response.History.Events.Add(Task.TransientStarted);
        }

        return response;
    }

    /// <summary>Checks a workflow task token against the task that is out; NOT_FOUND when stale.</summary>
    public void EnsureStartedTask(TaskToken token)
    {
        if (!IsRunning || Task.State != WorkflowTaskState.Started || Task.Sequence != token.ScheduledEventId || Task.Attempt != token.Attempt)
        {
            throw RpcErrors.NotFound("Workflow task not found.");
        }
    }

    /// <summary>Applies a RespondWorkflowTaskCompleted: validate commands, write them, flush buffered events.</summary>
    public void CompleteWorkflowTask(RespondWorkflowTaskCompletedRequest request)
    {
        var processor = new CommandProcessor(this, request.Commands);
        var closes = request.Commands.Any(CommandProcessor.IsCloseCommand);
        if (closes && History.HasBuffered)
        {
            FailWorkflowTaskInternal(WorkflowTaskFailedCause.UnhandledCommand, "Workflow task has unhandled new events.", request.Identity, incrementAttempt: false);
            throw RpcErrors.InvalidArgument("UnhandledCommand");
        }

        if (processor.Validate() is { } invalid)
        {
            FailWorkflowTaskInternal(invalid.Cause, invalid.Message, request.Identity, incrementAttempt: true);
            throw RpcErrors.InvalidArgument(invalid.Message);
        }

        WriteTransientEvents();
        var completed = History.Append(new HistoryEvent
        {
            EventType = EventType.WorkflowTaskCompleted,
            WorkflowTaskCompletedEventAttributes = new WorkflowTaskCompletedEventAttributes
            {
                ScheduledEventId = Task.ScheduledEventId,
                StartedEventId = Task.StartedEventId,
                Identity = request.Identity,
                SdkMetadata = request.SdkMetadata,
                MeteringMetadata = request.MeteringMetadata,
            },
        });
        LastCompletedStartedEventId = Task.StartedEventId;
        Task.State = WorkflowTaskState.None;
        Task.Attempt = 1;
        Task.CancelTimer();

        if (request.StickyAttributes?.WorkerTaskQueue is { Name.Length: > 0 } stickyQueue)
        {
            StickyQueue = stickyQueue.Name;
            var timeout = request.StickyAttributes.ScheduleToStartTimeout?.ToTimeSpan() ?? TimeSpan.Zero;
            StickyScheduleToStartTimeout = timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(5);
        }
        else
        {
            StickyQueue = null;
        }

        var hadBuffered = History.HasBuffered;
        var needsNewTask = processor.Apply(completed.EventId);
        var afterTask = _afterTask.ToList();
        _afterTask.Clear();
        if (!IsRunning)
        {
            return;
        }

        History.FlushBuffer();
        foreach (var action in afterTask)
        {
            action();
        }

        if (hadBuffered || needsNewTask || request.ForceCreateNewWorkflowTask)
        {
            ScheduleWorkflowTask();
        }

        DispatchQueriesIfIdle();
    }

    public void FailWorkflowTask(RespondWorkflowTaskFailedRequest request)
    {
        FailWorkflowTaskInternal(request.Cause, request.Failure, request.Identity, incrementAttempt: true);
    }

    private void FailWorkflowTaskInternal(WorkflowTaskFailedCause cause, string message, string identity, bool incrementAttempt) =>
        FailWorkflowTaskInternal(cause, new Failure { Message = message, Source = "EmbeddedTemporal" }, identity, incrementAttempt);

    private void FailWorkflowTaskInternal(WorkflowTaskFailedCause cause, Failure? failure, string identity, bool incrementAttempt)
    {
        if (Task.Transient)
        {
            // A failing retry leaves no trace in history, as on a real server.
            RetryWorkflowTask(incrementAttempt);
            return;
        }

        History.Append(new HistoryEvent
        {
            EventType = EventType.WorkflowTaskFailed,
            WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
            {
                ScheduledEventId = Task.ScheduledEventId,
                StartedEventId = Task.StartedEventId,
                Cause = cause,
                Failure = failure,
                Identity = identity,
            },
        });
        RetryWorkflowTask(incrementAttempt);
    }

    private void OnStartToCloseTimeout(long sequence, int attempt)
    {
        if (!IsRunning || Task.State != WorkflowTaskState.Started || Task.Sequence != sequence || Task.Attempt != attempt)
        {
            return;
        }

        if (Task.Transient)
        {
            RetryWorkflowTask(incrementAttempt: true);
            return;
        }

        History.Append(new HistoryEvent
        {
            EventType = EventType.WorkflowTaskTimedOut,
            WorkflowTaskTimedOutEventAttributes = new WorkflowTaskTimedOutEventAttributes
            {
                ScheduledEventId = Task.ScheduledEventId,
                StartedEventId = Task.StartedEventId,
                TimeoutType = TimeoutType.StartToClose,
            },
        });
        RetryWorkflowTask(incrementAttempt: true);
    }

    private void OnStickyScheduleToStartTimeout(long sequence)
    {
        if (!IsRunning || Task.State != WorkflowTaskState.Scheduled || Task.Sequence != sequence || !Task.IsSticky || Task.Transient)
        {
            return;
        }

        History.Append(new HistoryEvent
        {
            EventType = EventType.WorkflowTaskTimedOut,
            WorkflowTaskTimedOutEventAttributes = new WorkflowTaskTimedOutEventAttributes
            {
                ScheduledEventId = Task.ScheduledEventId,
                TimeoutType = TimeoutType.ScheduleToStart,
            },
        });
        RetryWorkflowTask(incrementAttempt: false);
    }

    /// <summary>A transient task that completes is written to history after all.</summary>
    private void WriteTransientEvents()
    {
        if (!Task.Transient || Task.TransientScheduled is null || Task.TransientStarted is null)
        {
            return;
        }

        var scheduled = History.Append(Task.TransientScheduled);
        Task.TransientStarted.WorkflowTaskStartedEventAttributes.ScheduledEventId = scheduled.EventId;
        var started = History.Append(Task.TransientStarted);
        Task.ScheduledEventId = scheduled.EventId;
        Task.StartedEventId = started.EventId;
        Task.Transient = false;
        Task.TransientScheduled = null;
        Task.TransientStarted = null;
    }

    /// <summary>After a failed or timed-out task: forget stickiness, flush buffered events, schedule again.</summary>
    private void RetryWorkflowTask(bool incrementAttempt)
    {
        Task.State = WorkflowTaskState.None;
        Task.CancelTimer();
        if (incrementAttempt)
        {
            Task.Attempt++;
        }

        StickyQueue = null;
        History.FlushBuffer();
        ScheduleWorkflowTask();
    }

    /// <summary>The worker of a sticky queue shut down: its waiting task goes to the normal queue.</summary>
    public void OnStickyWorkerGone(string stickyQueue)
    {
        if (StickyQueue != stickyQueue)
        {
            return;
        }

        StickyQueue = null;
        if (IsRunning && Task.State == WorkflowTaskState.Scheduled && Task.IsSticky)
        {
            Task.IsSticky = false;
            Task.QueueName = Start.TaskQueue;
            Task.CancelTimer();
            Server.Matching.AddWorkflowTask(Namespace.Name, Start.TaskQueue, new WorkflowTaskDispatch(this, Task.Sequence));
        }
    }

    // ---- external requests ----------------------------------------------------------------

    public void Signal(SignalParameters signal)
    {
        EnsureRunning();
        if (!string.IsNullOrEmpty(signal.RequestId) && !_signalRequestIds.Add(signal.RequestId))
        {
            // A retried signal request: already delivered once.
            return;
        }

        AddEvent(SignaledEvent(signal));
        ScheduleWorkflowTask();
    }

    public void RequestCancel(string reason, string identity, ExternalCancel? external = null)
    {
        EnsureRunning();
        if (CancelRequested)
        {
            return;
        }

        CancelRequested = true;
        AddEvent(new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionCancelRequested,
            WorkflowExecutionCancelRequestedEventAttributes = new WorkflowExecutionCancelRequestedEventAttributes
            {
                Cause = reason,
                Identity = identity,
                ExternalInitiatedEventId = external?.InitiatedEventId ?? 0,
                ExternalWorkflowExecution = external?.Execution,
            },
        });
        ScheduleWorkflowTask();
    }

    /// <summary>Set when a reset terminates this run: its children are handed to the reset run.</summary>
    private bool ClosedByReset { get; set; }

    /// <summary>Terminates the current run for a reset (identity <c>history-resetter</c>), keeping its children open.</summary>
    public void TerminateForReset(string reason, string identity)
    {
        ClosedByReset = true;
        Terminate(reason, null, identity);
    }

    public void Terminate(string reason, Payloads? details, string identity)
    {
        EnsureRunning();
        Close(WorkflowExecutionStatus.Terminated, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionTerminated,
            WorkflowExecutionTerminatedEventAttributes = new WorkflowExecutionTerminatedEventAttributes { Reason = reason, Details = details, Identity = identity },
        });
    }

    private void OnRunTimeout()
    {
        if (!IsRunning)
        {
            return;
        }

        var failure = new Failure
        {
            Message = "workflow timeout",
            Source = "Server",
            TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = TimeoutType.StartToClose },
        };
        // Past the execution expiration nothing retries; a run timeout before it follows the retry policy.
        var expired = ExecutionExpiration is { } expiration && Server.Now >= expiration - TimeSpan.FromMilliseconds(1);
        var (state, newRunId) = expired ? (RetryState.Timeout, null) : RetryOrNot(failure);
        Close(WorkflowExecutionStatus.TimedOut, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionTimedOut,
            WorkflowExecutionTimedOutEventAttributes = new WorkflowExecutionTimedOutEventAttributes { RetryState = state, NewExecutionRunId = newRunId ?? string.Empty },
        });
        StartRetry(newRunId);
    }

    /// <summary>FailWorkflowExecution: closes the run, and starts its retry when the workflow's retry policy allows one.</summary>
    public void Fail(Failure failure, long workflowTaskCompletedEventId, UserMetadata? metadata)
    {
        var (state, newRunId) = RetryOrNot(failure);
        Close(WorkflowExecutionStatus.Failed, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionFailed,
            WorkflowExecutionFailedEventAttributes = new WorkflowExecutionFailedEventAttributes
            {
                Failure = failure,
                RetryState = state,
                WorkflowTaskCompletedEventId = workflowTaskCompletedEventId,
                NewExecutionRunId = newRunId ?? string.Empty,
            },
            UserMetadata = metadata,
        });
        StartRetry(newRunId);
    }

    /// <summary>
    /// ContinueAsNewWorkflowExecution: closes this run and starts the next one under the same id.
    /// Unset fields of the command inherit this run's values, as on a real server; the execution
    /// timeout and the chain's first run id carry over.
    /// </summary>
    public void ContinueAsNew(Temporalio.Api.Command.V1.ContinueAsNewWorkflowExecutionCommandAttributes command, Dictionary<string, Payload?>? searchAttributes, long workflowTaskCompletedEventId, UserMetadata? metadata)
    {
        static TimeSpan? Positive(Duration? d) => d is not null && d.ToTimeSpan() > TimeSpan.Zero ? d.ToTimeSpan() : null;
        var initiator = command.Initiator == ContinueAsNewInitiator.Unspecified ? ContinueAsNewInitiator.Workflow : command.Initiator;
        var link = new RetryLink(
            Guid.NewGuid().ToString(),
            initiator == ContinueAsNewInitiator.Retry ? Attempt + 1 : 1,
            FirstExecutionRunId,
            RunId,
            command.Failure,
            Positive(command.BackoffStartInterval) ?? TimeSpan.Zero,
            ExecutionExpiration)
        {
            Initiator = initiator,
            LastCompletionResult = command.LastCompletionResult,
        };
        var next = Start with
        {
            WorkflowType = string.IsNullOrEmpty(command.WorkflowType?.Name) ? Start.WorkflowType : command.WorkflowType,
            TaskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? Start.TaskQueue : command.TaskQueue.Name,
            Input = command.Input,
            Header = command.Header,
            Memo = command.Memo ?? Memo.Clone(),
            SearchAttributes = searchAttributes ?? SearchAttributes.ToDictionary(kv => kv.Key, kv => (Payload?)kv.Value, StringComparer.Ordinal),
            RunTimeout = Positive(command.WorkflowRunTimeout) ?? Start.RunTimeout,
            TaskTimeout = Positive(command.WorkflowTaskTimeout) ?? Start.TaskTimeout,
            RetryPolicy = command.RetryPolicy ?? Start.RetryPolicy,
            RequestId = Guid.NewGuid().ToString(),
            Signal = null,
            UserMetadata = null,
            Retry = link,
        };
        Close(WorkflowExecutionStatus.ContinuedAsNew, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionContinuedAsNew,
            WorkflowExecutionContinuedAsNewEventAttributes = new WorkflowExecutionContinuedAsNewEventAttributes
            {
                NewExecutionRunId = link.RunId,
                WorkflowType = next.WorkflowType,
                TaskQueue = new TaskQueueProto { Name = next.TaskQueue, Kind = TaskQueueKind.Normal },
                Input = next.Input,
                WorkflowRunTimeout = ToDuration(next.RunTimeout),
                WorkflowTaskTimeout = Duration.FromTimeSpan(next.TaskTimeout),
                WorkflowTaskCompletedEventId = workflowTaskCompletedEventId,
                BackoffStartInterval = command.BackoffStartInterval,
                Initiator = initiator,
                LastCompletionResult = command.LastCompletionResult,
                Header = next.Header,
                Memo = next.Memo,
                SearchAttributes = ToProto(next.SearchAttributes.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal)),
            },
            UserMetadata = metadata,
        });
        Create(Namespace, next);
    }

    private StartParameters? _retryStart;

    /// <summary>Decides a workflow retry as a real server does (retry policy of the start request).</summary>
    private (RetryState State, string? NewRunId) RetryOrNot(Failure failure)
    {
        if (Start.RetryPolicy is null)
        {
            return (RetryState.RetryPolicyNotSet, null);
        }

        var state = RetryPolicies.Evaluate(RetryPolicies.WithDefaults(Start.RetryPolicy), Attempt, failure, Server.Now, ExecutionExpiration, out var backoff, delayReplacesMaximum: false);
        if (state != RetryState.InProgress)
        {
            return (state, null);
        }

        var link = new RetryLink(Guid.NewGuid().ToString(), Attempt + 1, FirstExecutionRunId, RunId, failure, backoff, ExecutionExpiration);
        _retryStart = Start with
        {
            RequestId = Guid.NewGuid().ToString(),
            Signal = null,
            Retry = link,
            Memo = Memo.Clone(),
            SearchAttributes = SearchAttributes.ToDictionary(kv => kv.Key, kv => (Payload?)kv.Value, StringComparer.Ordinal),
        };
        return (state, link.RunId);
    }

    private void StartRetry(string? newRunId)
    {
        if (newRunId is not null && _retryStart is { } start)
        {
            _retryStart = null;
            Create(Namespace, start);
        }
    }

    public void EnsureRunning()
    {
        if (!IsRunning)
        {
            throw RpcErrors.WorkflowCompleted();
        }
    }

    /// <summary>Closes the run with its close event: buffered events first, then everything pending is dropped.</summary>
    public void Close(WorkflowExecutionStatus status, HistoryEvent closeEvent)
    {
        Task.State = WorkflowTaskState.None;
        Task.CancelTimer();
        History.FlushBuffer();
        Status = status;
        CloseTime = Server.Now;
        StickyQueue = null;
        _runTimeoutTimer?.Dispose();
        Activities.Clear();
        Timers.Clear();
        History.Append(closeEvent);
        _closed.TrySetResult();
        DispatchQueriesIfIdle();
        if (ClosedByReset)
        {
            // A reset hands the open children to the run it creates; no parent close policy applies.
            Children.Clear();
        }
        else
        {
            Children.ApplyParentClosePolicy();
        }

        if (Start.Parent is { } parent && !ContinuesInNewRun(closeEvent))
        {
            // A parent reset since the child started hears of it in the run the reset created.
            var parentRun = Namespace.FindRun(parent.Execution.WorkflowId, parent.Execution.RunId);
            while (parentRun is { IsRunning: false, ResetRunId: { } resetRunId })
            {
                parentRun = Namespace.FindRun(parentRun.WorkflowId, resetRunId);
            }

            parentRun?.Children.OnChildClosed(parent.InitiatedEventId, this, closeEvent);
        }

        Namespace.OnRunClosed(this);
    }

    /// <summary>A retry or continue-as-new carries the chain on: a parent hears only of the chain's last run.</summary>
    private static bool ContinuesInNewRun(HistoryEvent closeEvent) => closeEvent.EventType switch
    {
        EventType.WorkflowExecutionContinuedAsNew => true,
        EventType.WorkflowExecutionFailed => closeEvent.WorkflowExecutionFailedEventAttributes.NewExecutionRunId.Length > 0,
        EventType.WorkflowExecutionTimedOut => closeEvent.WorkflowExecutionTimedOutEventAttributes.NewExecutionRunId.Length > 0,
        _ => false,
    };

    // ---- queries -------------------------------------------------------------------------

    /// <summary>Sends a query to a worker now if no workflow task is out, else after the task.</summary>
    public void Query(QueryTask query)
    {
        if (!IsRunning || Task.State == WorkflowTaskState.None)
        {
            DispatchQuery(query);
        }
        else
        {
            _queriesAwaitingTask.Add(query);
        }
    }

    private void DispatchQueriesIfIdle()
    {
        if (_queriesAwaitingTask.Count == 0 || (IsRunning && Task.State != WorkflowTaskState.None))
        {
            return;
        }

        var queries = _queriesAwaitingTask.ToList();
        _queriesAwaitingTask.Clear();
        foreach (var query in queries)
        {
            DispatchQuery(query);
        }
    }

    private void DispatchQuery(QueryTask query)
    {
        var sticky = IsRunning ? StickyQueue : null;
        Server.Matching.AddWorkflowTask(Namespace.Name, sticky ?? Start.TaskQueue, new QueryDispatch(this, query, sticky is not null));
    }

    /// <summary>A legacy query task: full history on the normal queue, none on a sticky one (the worker has the run cached).</summary>
    public PollWorkflowTaskQueueResponse BuildQueryTask(QueryTask query, bool sticky)
    {
        var response = new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Query, Namespace.Name, WorkflowId, RunId, 0, 0, query.Id).ToByteString(),
            WorkflowExecution = Execution,
            WorkflowType = Start.WorkflowType,
            PreviousStartedEventId = LastCompletedStartedEventId,
            History = new History(),
            Query = query.Request.Query,
            WorkflowExecutionTaskQueue = new TaskQueueProto { Name = Start.TaskQueue, Kind = TaskQueueKind.Normal },
            ScheduledTime = Timestamp.FromDateTimeOffset(Server.Now),
            StartedTime = Timestamp.FromDateTimeOffset(Server.Now),
        };
        if (!sticky)
        {
            response.History.Events.AddRange(History.Events);
        }

        return response;
    }

    // ---- helpers -------------------------------------------------------------------------

    private static HistoryEvent SignaledEvent(SignalParameters signal) => new()
    {
        EventType = EventType.WorkflowExecutionSignaled,
        WorkflowExecutionSignaledEventAttributes = new WorkflowExecutionSignaledEventAttributes
        {
            SignalName = signal.Name,
            Input = signal.Input,
            Header = signal.Header,
            Identity = signal.Identity,
            ExternalWorkflowExecution = signal.External,
        },
    };

    public static SearchAttributes ToProto(IReadOnlyDictionary<string, Payload> attributes)
    {
        var result = new SearchAttributes();
        foreach (var (name, value) in attributes)
        {
            result.IndexedFields[name] = value;
        }

        return result;
    }

    private static Duration? ToDuration(TimeSpan? value) => value is { } v ? Duration.FromTimeSpan(v) : null;

    public UserMetadata? UserMetadata => Start.UserMetadata;
}

/// <summary>A workflow task waiting in a task queue.</summary>
internal sealed class WorkflowTaskDispatch(WorkflowExecution run, long sequence) : IWorkflowTaskDispatch
{
    public PollWorkflowTaskQueueResponse? TryStart(PollWorkflowTaskQueueRequest poll)
    {
        lock (run.Namespace.Sync)
        {
            return run.TryStartWorkflowTask(sequence, poll);
        }
    }
}

/// <summary>A legacy query task waiting in a task queue.</summary>
internal sealed class QueryDispatch(WorkflowExecution run, QueryTask query, bool sticky) : IWorkflowTaskDispatch
{
    /// <summary>The sticky worker went away: send the query to the normal queue, with full history.</summary>
    public void Redirect() =>
        run.Server.Matching.AddWorkflowTask(run.Namespace.Name, run.Start.TaskQueue, new QueryDispatch(run, query, sticky: false));

    public PollWorkflowTaskQueueResponse? TryStart(PollWorkflowTaskQueueRequest poll)
    {
        if (query.Result.Task.IsCompleted)
        {
            return null;
        }

        lock (run.Namespace.Sync)
        {
            return run.BuildQueryTask(query, sticky);
        }
    }
}
