using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// A run's child workflows: StartChildWorkflowExecution commands, the child's started/failed-to-start
/// event, the child's close reported back to the parent, and the parent close policy.
/// </summary>
internal sealed class ChildWorkflows(WorkflowExecution run)
{
    private sealed record Child(long InitiatedEventId, string WorkflowId, WorkflowType WorkflowType, ParentClosePolicy ClosePolicy)
    {
        public long StartedEventId { get; set; }

        public string? RunId { get; set; }
    }

    private readonly Dictionary<long, Child> _children = [];

    public bool HasPending => _children.Count > 0;

    /// <summary>
    /// Takes over a child a reset copied into a new run (initiated, and started unless
    /// <paramref name="startedEventId"/> is 0): its close is reported to this run.
    /// </summary>
    public void Restore(long initiatedEventId, StartChildWorkflowExecutionInitiatedEventAttributes initiated, long startedEventId, string? childRunId)
    {
        var policy = initiated.ParentClosePolicy == ParentClosePolicy.Unspecified ? ParentClosePolicy.Terminate : initiated.ParentClosePolicy;
        _children[initiatedEventId] = new Child(initiatedEventId, initiated.WorkflowId, initiated.WorkflowType, policy)
        {
            StartedEventId = startedEventId,
            RunId = childRunId,
        };
    }

    public bool IsChild(string workflowId, string? runId) =>
        _children.Values.Any(c => c.WorkflowId == workflowId && (string.IsNullOrEmpty(runId) || c.RunId == runId));

    /// <summary>Writes StartChildWorkflowExecutionInitiated; the child starts once the workflow task is written (see <see cref="WorkflowExecution.AfterTask"/>).</summary>
    public void Initiate(StartChildWorkflowExecutionCommandAttributes command, Dictionary<string, Payload?> searchAttributes, long completedEventId, Temporalio.Api.Sdk.V1.UserMetadata? metadata)
    {
        var taskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? run.Start.TaskQueue : command.TaskQueue.Name;
        var policy = command.ParentClosePolicy == ParentClosePolicy.Unspecified ? ParentClosePolicy.Terminate : command.ParentClosePolicy;
        var initiated = run.History.Append(new HistoryEvent
        {
            EventType = EventType.StartChildWorkflowExecutionInitiated,
            UserMetadata = metadata,
            StartChildWorkflowExecutionInitiatedEventAttributes = new StartChildWorkflowExecutionInitiatedEventAttributes
            {
                Namespace = run.Namespace.Name,
                NamespaceId = run.Namespace.Id,
                WorkflowId = command.WorkflowId,
                WorkflowType = command.WorkflowType,
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
                Input = command.Input,
                WorkflowExecutionTimeout = command.WorkflowExecutionTimeout,
                WorkflowRunTimeout = command.WorkflowRunTimeout,
                WorkflowTaskTimeout = command.WorkflowTaskTimeout,
                ParentClosePolicy = policy,
                WorkflowTaskCompletedEventId = completedEventId,
                WorkflowIdReusePolicy = command.WorkflowIdReusePolicy,
                RetryPolicy = command.RetryPolicy,
                CronSchedule = command.CronSchedule,
                Header = command.Header,
                Memo = command.Memo,
                SearchAttributes = command.SearchAttributes,
            },
        });
        var child = new Child(initiated.EventId, command.WorkflowId, command.WorkflowType, policy);
        _children[child.InitiatedEventId] = child;
        run.AfterTask(() => Start(child, command, taskQueue, searchAttributes, completedEventId));
    }

    private void Start(Child child, StartChildWorkflowExecutionCommandAttributes command, string taskQueue, Dictionary<string, Payload?> searchAttributes, long completedEventId)
    {
        var ns = run.Namespace;
        var current = ns.CurrentRun(command.WorkflowId);
        var rejected = current is not null && (current.IsRunning || !ReuseAllowed(current, command.WorkflowIdReusePolicy));
        if (rejected)
        {
            _children.Remove(child.InitiatedEventId);
            run.AddEvent(new HistoryEvent
            {
                EventType = EventType.StartChildWorkflowExecutionFailed,
                StartChildWorkflowExecutionFailedEventAttributes = new StartChildWorkflowExecutionFailedEventAttributes
                {
                    Namespace = ns.Name,
                    NamespaceId = ns.Id,
                    WorkflowId = command.WorkflowId,
                    WorkflowType = command.WorkflowType,
                    Cause = StartChildWorkflowExecutionFailedCause.WorkflowAlreadyExists,
                    InitiatedEventId = child.InitiatedEventId,
                    WorkflowTaskCompletedEventId = completedEventId,
                },
            });
            run.ScheduleWorkflowTask();
            return;
        }

        static TimeSpan? Positive(Duration? d) => d is not null && d.ToTimeSpan() > TimeSpan.Zero ? d.ToTimeSpan() : null;
        var executionTimeout = Positive(command.WorkflowExecutionTimeout);
        var runTimeout = Positive(command.WorkflowRunTimeout);
        if (executionTimeout is { } e && runTimeout is { } r && r > e)
        {
            runTimeout = e;
        }

        var start = new StartParameters
        {
            WorkflowId = command.WorkflowId,
            WorkflowType = command.WorkflowType,
            TaskQueue = taskQueue,
            RequestId = Guid.NewGuid().ToString(),
            Input = command.Input,
            Header = command.Header,
            Memo = command.Memo,
            SearchAttributes = searchAttributes,
            ExecutionTimeout = executionTimeout,
            RunTimeout = runTimeout,
            TaskTimeout = Positive(command.WorkflowTaskTimeout) ?? TimeSpan.FromSeconds(10),
            RetryPolicy = command.RetryPolicy,
            Parent = new ParentLink(ns.Name, ns.Id, run.Execution, child.InitiatedEventId, child.ClosePolicy, run.Start.Parent?.RootExecution ?? run.Execution),
        };
        var childRun = WorkflowExecution.Create(ns, start);
        child.RunId = childRun.RunId;
        child.StartedEventId = run.AddEvent(new HistoryEvent
        {
            EventType = EventType.ChildWorkflowExecutionStarted,
            ChildWorkflowExecutionStartedEventAttributes = new ChildWorkflowExecutionStartedEventAttributes
            {
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                InitiatedEventId = child.InitiatedEventId,
                WorkflowExecution = childRun.Execution,
                WorkflowType = command.WorkflowType,
                Header = command.Header,
            },
        }).EventId;
        run.ScheduleWorkflowTask();
    }

    private static bool ReuseAllowed(WorkflowExecution previous, WorkflowIdReusePolicy policy) => policy switch
    {
        WorkflowIdReusePolicy.RejectDuplicate => false,
        WorkflowIdReusePolicy.AllowDuplicateFailedOnly => previous.Status is not WorkflowExecutionStatus.Completed,
        _ => true,
    };

    /// <summary>The last run of a child's chain closed: write the matching child event in the parent.</summary>
    public void OnChildClosed(long initiatedEventId, WorkflowExecution childRun, HistoryEvent closeEvent)
    {
        if (!run.IsRunning || !_children.TryGetValue(initiatedEventId, out var child) || child.WorkflowId != childRun.WorkflowId)
        {
            return;
        }

        _children.Remove(initiatedEventId);

        var ns = run.Namespace;
        var historyEvent = closeEvent.EventType switch
        {
            EventType.WorkflowExecutionCompleted => new HistoryEvent
            {
                EventType = EventType.ChildWorkflowExecutionCompleted,
                ChildWorkflowExecutionCompletedEventAttributes = new ChildWorkflowExecutionCompletedEventAttributes
                {
                    Result = closeEvent.WorkflowExecutionCompletedEventAttributes.Result,
                    Namespace = ns.Name,
                    NamespaceId = ns.Id,
                    WorkflowExecution = childRun.Execution,
                    WorkflowType = child.WorkflowType,
                    InitiatedEventId = initiatedEventId,
                    StartedEventId = child.StartedEventId,
                },
            },
            EventType.WorkflowExecutionFailed => new HistoryEvent
            {
                EventType = EventType.ChildWorkflowExecutionFailed,
                ChildWorkflowExecutionFailedEventAttributes = new ChildWorkflowExecutionFailedEventAttributes
                {
                    Failure = closeEvent.WorkflowExecutionFailedEventAttributes.Failure,
                    Namespace = ns.Name,
                    NamespaceId = ns.Id,
                    WorkflowExecution = childRun.Execution,
                    WorkflowType = child.WorkflowType,
                    InitiatedEventId = initiatedEventId,
                    StartedEventId = child.StartedEventId,
                    RetryState = closeEvent.WorkflowExecutionFailedEventAttributes.RetryState,
                },
            },
            EventType.WorkflowExecutionCanceled => new HistoryEvent
            {
                EventType = EventType.ChildWorkflowExecutionCanceled,
                ChildWorkflowExecutionCanceledEventAttributes = new ChildWorkflowExecutionCanceledEventAttributes
                {
                    Details = closeEvent.WorkflowExecutionCanceledEventAttributes.Details,
                    Namespace = ns.Name,
                    NamespaceId = ns.Id,
                    WorkflowExecution = childRun.Execution,
                    WorkflowType = child.WorkflowType,
                    InitiatedEventId = initiatedEventId,
                    StartedEventId = child.StartedEventId,
                },
            },
            EventType.WorkflowExecutionTimedOut => new HistoryEvent
            {
                EventType = EventType.ChildWorkflowExecutionTimedOut,
                ChildWorkflowExecutionTimedOutEventAttributes = new ChildWorkflowExecutionTimedOutEventAttributes
                {
                    Namespace = ns.Name,
                    NamespaceId = ns.Id,
                    WorkflowExecution = childRun.Execution,
                    WorkflowType = child.WorkflowType,
                    InitiatedEventId = initiatedEventId,
                    StartedEventId = child.StartedEventId,
                    RetryState = closeEvent.WorkflowExecutionTimedOutEventAttributes.RetryState,
                },
            },
            _ => new HistoryEvent
            {
                EventType = EventType.ChildWorkflowExecutionTerminated,
                ChildWorkflowExecutionTerminatedEventAttributes = new ChildWorkflowExecutionTerminatedEventAttributes
                {
                    Namespace = ns.Name,
                    NamespaceId = ns.Id,
                    WorkflowExecution = childRun.Execution,
                    WorkflowType = child.WorkflowType,
                    InitiatedEventId = initiatedEventId,
                    StartedEventId = child.StartedEventId,
                },
            },
        };
        run.AddEvent(historyEvent);
        run.ScheduleWorkflowTask();
    }

    /// <summary>The parent closed: terminate or cancel its open children as their policy says (ABANDON leaves them).</summary>
    public void ApplyParentClosePolicy()
    {
        var children = _children.Values.ToList();
        _children.Clear();
        foreach (var child in children)
        {
            var childRun = run.Namespace.CurrentRun(child.WorkflowId);
            // The child's parent link names the run that started it: this run, or the run a reset forked this one from.
            if (childRun is not { IsRunning: true } || childRun.Start.Parent is not { } parent
                || parent.Execution.WorkflowId != run.WorkflowId || parent.InitiatedEventId != child.InitiatedEventId)
            {
                continue;
            }

            switch (child.ClosePolicy)
            {
                case ParentClosePolicy.Terminate:
                    childRun.Terminate("by parent close policy", null, "history-service");
                    break;
                case ParentClosePolicy.RequestCancel:
                    childRun.RequestCancel("by parent close policy", "history-service");
                    break;
            }
        }
    }

    public void Clear() => _children.Clear();
}
