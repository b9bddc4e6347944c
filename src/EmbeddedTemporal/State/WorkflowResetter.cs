using EventProcessor.EmbeddedTemporal.Frontend;
using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// ResetWorkflowExecution as a real server does it: a new run forked from a base run's history
/// up to a workflow task, that task failed with cause RESET_WORKFLOW, the current run terminated
/// if open, signals received after the reset point written again, and a new workflow task.
/// Runs under the namespace lock.
/// </summary>
internal static class WorkflowResetter
{
    /// <summary>The identities a real server writes on the events it adds itself.</summary>
    private const string HistoryServiceIdentity = "history-service";
    private const string ResetterIdentity = "history-resetter";

    public static string Reset(TemporalNamespace ns, ResetWorkflowExecutionRequest request)
    {
        var baseRun = Requests.Run(ns, request.WorkflowExecution);
        var finishEventId = request.WorkflowTaskFinishEventId;
        var baseEvents = baseRun.History.Events;
        if (finishEventId <= 1 || finishEventId > baseEvents.Count)
        {
            throw RpcErrors.InvalidArgument("Workflow task finish ID must be > 1 && <= workflow last event ID.");
        }

        // De-duplication is against the current run's create request id only
        // (service/history/api/resetworkflow/api.go), and a reset run's create request id is the
        // base run's original start request id (service/history/ndc/workflow_resetter.go). So the
        // same reset request sent again after it succeeded resets again: callers that must not
        // reset twice check the current run themselves.
        if (ns.CurrentRun(baseRun.WorkflowId) is { } currentRun && currentRun.Start.RequestId == request.RequestId)
        {
            return currentRun.RunId;
        }

        var forkPoint = baseEvents[(int)finishEventId - 2];
        if (forkPoint.EventType is not (EventType.WorkflowTaskScheduled or EventType.WorkflowTaskStarted))
        {
            throw RpcErrors.InvalidArgument($"Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: {finishEventId}");
        }

        // Children pending at the reset point are allowed (AllowResetWithPendingChildren defaults to
        // true, service/history/api/resetworkflow/api.go): the reset run takes them over.
        var copied = baseEvents.Take((int)finishEventId - 1).ToList();
        if (ns.CurrentRun(baseRun.WorkflowId) is { IsRunning: true } current)
        {
            current.TerminateForReset(request.Reason, ResetterIdentity);
        }

        // Read after the terminate: it flushed any events the base run still had buffered.
        var reapply = SignalsToReapply(request, baseEvents.Skip((int)finishEventId - 1));

        var newRunId = Guid.NewGuid().ToString();
        var run = WorkflowExecution.CreateForReset(baseRun, newRunId, baseRun.Start.RequestId);
        foreach (var historyEvent in copied)
        {
            run.History.Append(historyEvent.Clone());
        }

        var rebuilt = Rebuild(run, copied);
        var scheduledEventId = forkPoint.EventType == EventType.WorkflowTaskScheduled ? forkPoint.EventId : forkPoint.WorkflowTaskStartedEventAttributes.ScheduledEventId;
        var startedEventId = forkPoint.EventId;
        if (forkPoint.EventType == EventType.WorkflowTaskScheduled)
        {
            startedEventId = run.History.Append(new HistoryEvent
            {
                EventType = EventType.WorkflowTaskStarted,
                WorkflowTaskStartedEventAttributes = new WorkflowTaskStartedEventAttributes
                {
                    ScheduledEventId = scheduledEventId,
                    Identity = HistoryServiceIdentity,
                    RequestId = Guid.NewGuid().ToString(),
                },
            }).EventId;
        }

        run.History.Append(new HistoryEvent
        {
            EventType = EventType.WorkflowTaskFailed,
            WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
            {
                ScheduledEventId = scheduledEventId,
                StartedEventId = startedEventId,
                Cause = WorkflowTaskFailedCause.ResetWorkflow,
                Failure = new Failure { Message = request.Reason, ResetWorkflowFailureInfo = new ResetWorkflowFailureInfo() },
                Identity = HistoryServiceIdentity,
                BaseRunId = baseRun.RunId,
                NewRunId = newRunId,
            },
        });

        foreach (var signal in reapply)
        {
            run.History.Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionSignaled,
                WorkflowExecutionSignaledEventAttributes = signal.Clone(),
            });
        }

        baseRun.ResetRunId = newRunId;
        run.ActivateAfterReset(rebuilt.LastCompletedStartedEventId, rebuilt.CancelRequested);
        return newRunId;
    }

    /// <summary>Signals after the reset point, unless the request excludes them (reapply type NONE, or SIGNAL excluded).</summary>
    private static List<WorkflowExecutionSignaledEventAttributes> SignalsToReapply(ResetWorkflowExecutionRequest request, IEnumerable<HistoryEvent> after)
    {
#pragma warning disable CS0612 // reset_reapply_type is deprecated in favour of the exclude list, yet older clients still send it
        var none = request.ResetReapplyType == ResetReapplyType.None;
#pragma warning restore CS0612
        if (none || request.ResetReapplyExcludeTypes.Contains(ResetReapplyExcludeType.Signal))
        {
            return [];
        }

        return after.Where(e => e.EventType == EventType.WorkflowExecutionSignaled).Select(e => e.WorkflowExecutionSignaledEventAttributes).ToList();
    }

    /// <summary>Replays the copied events into the new run's pending state: activities, timers, attributes, memo.</summary>
    private static (long LastCompletedStartedEventId, bool CancelRequested) Rebuild(WorkflowExecution run, List<HistoryEvent> events)
    {
        var activities = new Dictionary<long, HistoryEvent>();
        var children = new Dictionary<long, (StartChildWorkflowExecutionInitiatedEventAttributes Initiated, long StartedEventId, string? RunId)>();
        var timers = new Dictionary<string, HistoryEvent>(StringComparer.Ordinal);
        long lastCompletedStarted = 0;
        var cancelRequested = false;
        run.SearchAttributes.Clear();
        run.Memo.Fields.Clear();
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case EventType.WorkflowExecutionStarted:
                    Merge(run, e.WorkflowExecutionStartedEventAttributes.SearchAttributes);
                    if (e.WorkflowExecutionStartedEventAttributes.Memo is { } memo)
                    {
                        run.Memo.Fields.Add(memo.Fields);
                    }

                    break;
                case EventType.UpsertWorkflowSearchAttributes:
                    Merge(run, e.UpsertWorkflowSearchAttributesEventAttributes.SearchAttributes);
                    break;
                case EventType.WorkflowPropertiesModified when e.WorkflowPropertiesModifiedEventAttributes.UpsertedMemo is { } upserted:
                    foreach (var (key, value) in upserted.Fields)
                    {
                        if (IsNull(value))
                        {
                            run.Memo.Fields.Remove(key);
                        }
                        else
                        {
                            run.Memo.Fields[key] = value;
                        }
                    }

                    break;
                case EventType.WorkflowTaskCompleted:
                    lastCompletedStarted = e.WorkflowTaskCompletedEventAttributes.StartedEventId;
                    break;
                case EventType.WorkflowExecutionCancelRequested:
                    cancelRequested = true;
                    break;
                case EventType.ActivityTaskScheduled:
                    activities[e.EventId] = e;
                    break;
                case EventType.StartChildWorkflowExecutionInitiated:
                    children[e.EventId] = (e.StartChildWorkflowExecutionInitiatedEventAttributes, 0, null);
                    break;
                case EventType.ChildWorkflowExecutionStarted:
                    {
                        var started = e.ChildWorkflowExecutionStartedEventAttributes;
                        if (children.TryGetValue(started.InitiatedEventId, out var child))
                        {
                            children[started.InitiatedEventId] = (child.Initiated, e.EventId, started.WorkflowExecution.RunId);
                        }

                        break;
                    }

                case EventType.StartChildWorkflowExecutionFailed:
                    children.Remove(e.StartChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                    break;
                case EventType.ChildWorkflowExecutionCompleted:
                    children.Remove(e.ChildWorkflowExecutionCompletedEventAttributes.InitiatedEventId);
                    break;
                case EventType.ChildWorkflowExecutionFailed:
                    children.Remove(e.ChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                    break;
                case EventType.ChildWorkflowExecutionCanceled:
                    children.Remove(e.ChildWorkflowExecutionCanceledEventAttributes.InitiatedEventId);
                    break;
                case EventType.ChildWorkflowExecutionTerminated:
                    children.Remove(e.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId);
                    break;
                case EventType.ChildWorkflowExecutionTimedOut:
                    children.Remove(e.ChildWorkflowExecutionTimedOutEventAttributes.InitiatedEventId);
                    break;
                case EventType.ActivityTaskCompleted:
                    activities.Remove(e.ActivityTaskCompletedEventAttributes.ScheduledEventId);
                    break;
                case EventType.ActivityTaskFailed:
                    activities.Remove(e.ActivityTaskFailedEventAttributes.ScheduledEventId);
                    break;
                case EventType.ActivityTaskTimedOut:
                    activities.Remove(e.ActivityTaskTimedOutEventAttributes.ScheduledEventId);
                    break;
                case EventType.ActivityTaskCanceled:
                    activities.Remove(e.ActivityTaskCanceledEventAttributes.ScheduledEventId);
                    break;
                case EventType.TimerStarted:
                    timers[e.TimerStartedEventAttributes.TimerId] = e;
                    break;
                case EventType.TimerFired:
                    timers.Remove(e.TimerFiredEventAttributes.TimerId);
                    break;
                case EventType.TimerCanceled:
                    timers.Remove(e.TimerCanceledEventAttributes.TimerId);
                    break;
            }
        }

        foreach (var (scheduledEventId, scheduled) in activities)
        {
            var activity = run.Activities.Restore(scheduledEventId, scheduled.ActivityTaskScheduledEventAttributes.Clone(), scheduled.EventTime.ToDateTimeOffset());
            var cancel = events.LastOrDefault(e => e.EventType == EventType.ActivityTaskCancelRequested
                && e.ActivityTaskCancelRequestedEventAttributes.ScheduledEventId == scheduledEventId);
            if (cancel is not null)
            {
                activity.CancelRequested = true;
                activity.CancelRequestedEventId = cancel.EventId;
            }
        }

        foreach (var (initiatedEventId, child) in children)
        {
            run.Children.Restore(initiatedEventId, child.Initiated, child.StartedEventId, child.RunId);
        }

        foreach (var (timerId, started) in timers)
        {
            var fireAt = started.EventTime.ToDateTimeOffset() + started.TimerStartedEventAttributes.StartToFireTimeout.ToTimeSpan();
            run.Timers.Restore(timerId, started.EventId, fireAt);
        }

        return (lastCompletedStarted, cancelRequested);
    }

    private static void Merge(WorkflowExecution run, Temporalio.Api.Common.V1.SearchAttributes? attributes)
    {
        if (attributes is null)
        {
            return;
        }

        foreach (var (name, value) in attributes.IndexedFields)
        {
            if (IsNull(value))
            {
                run.SearchAttributes.Remove(name);
            }
            else
            {
                run.SearchAttributes[name] = value;
            }
        }
    }

    private static bool IsNull(Temporalio.Api.Common.V1.Payload payload) =>
        (payload.Metadata.TryGetValue("encoding", out var encoding) && encoding.ToStringUtf8() == "binary/null")
        || payload.Data.IsEmpty
        || payload.Data.Span.SequenceEqual("null"u8);
}
