using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using ExecutionProto = Temporalio.Api.Common.V1.WorkflowExecution;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// SignalExternalWorkflowExecution and RequestCancelExternalWorkflowExecution commands: the
/// initiated event now, the effect on the target and the outcome event once the task is written.
/// </summary>
internal static class ExternalRequests
{
    public static void Signal(WorkflowExecution run, SignalExternalWorkflowExecutionCommandAttributes command, long completedEventId, Temporalio.Api.Sdk.V1.UserMetadata? metadata)
    {
        var ns = run.Namespace;
        var initiated = run.History.Append(new HistoryEvent
        {
            EventType = EventType.SignalExternalWorkflowExecutionInitiated,
            UserMetadata = metadata,
            SignalExternalWorkflowExecutionInitiatedEventAttributes = new SignalExternalWorkflowExecutionInitiatedEventAttributes
            {
                WorkflowTaskCompletedEventId = completedEventId,
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                WorkflowExecution = command.Execution,
                SignalName = command.SignalName,
                Input = command.Input,
                ChildWorkflowOnly = command.ChildWorkflowOnly,
                Header = command.Header,
            },
        }).EventId;
        run.AfterTask(() =>
        {
            var target = Target(run, command.Execution, command.ChildWorkflowOnly);
            if (target is null)
            {
                run.AddEvent(new HistoryEvent
                {
                    EventType = EventType.SignalExternalWorkflowExecutionFailed,
                    SignalExternalWorkflowExecutionFailedEventAttributes = new SignalExternalWorkflowExecutionFailedEventAttributes
                    {
                        Cause = SignalExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound,
                        WorkflowTaskCompletedEventId = completedEventId,
                        Namespace = ns.Name,
                        NamespaceId = ns.Id,
                        WorkflowExecution = command.Execution,
                        InitiatedEventId = initiated,
                    },
                });
            }
            else
            {
                target.Signal(new SignalParameters(command.SignalName, command.Input, command.Header, string.Empty, string.Empty) { External = run.Execution });
                run.AddEvent(new HistoryEvent
                {
                    EventType = EventType.ExternalWorkflowExecutionSignaled,
                    ExternalWorkflowExecutionSignaledEventAttributes = new ExternalWorkflowExecutionSignaledEventAttributes
                    {
                        InitiatedEventId = initiated,
                        Namespace = ns.Name,
                        NamespaceId = ns.Id,
                        WorkflowExecution = command.Execution,
                    },
                });
            }

            run.ScheduleWorkflowTask();
        });
    }

    public static void RequestCancel(WorkflowExecution run, RequestCancelExternalWorkflowExecutionCommandAttributes command, long completedEventId, Temporalio.Api.Sdk.V1.UserMetadata? metadata)
    {
        var ns = run.Namespace;
        var execution = new ExecutionProto { WorkflowId = command.WorkflowId, RunId = command.RunId };
        var initiated = run.History.Append(new HistoryEvent
        {
            EventType = EventType.RequestCancelExternalWorkflowExecutionInitiated,
            UserMetadata = metadata,
            RequestCancelExternalWorkflowExecutionInitiatedEventAttributes = new RequestCancelExternalWorkflowExecutionInitiatedEventAttributes
            {
                WorkflowTaskCompletedEventId = completedEventId,
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                WorkflowExecution = execution,
                ChildWorkflowOnly = command.ChildWorkflowOnly,
                Reason = command.Reason,
            },
        }).EventId;
        run.AfterTask(() =>
        {
            var target = Target(run, execution, command.ChildWorkflowOnly);
            if (target is null)
            {
                run.AddEvent(new HistoryEvent
                {
                    EventType = EventType.RequestCancelExternalWorkflowExecutionFailed,
                    RequestCancelExternalWorkflowExecutionFailedEventAttributes = new RequestCancelExternalWorkflowExecutionFailedEventAttributes
                    {
                        Cause = CancelExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound,
                        WorkflowTaskCompletedEventId = completedEventId,
                        Namespace = ns.Name,
                        NamespaceId = ns.Id,
                        WorkflowExecution = execution,
                        InitiatedEventId = initiated,
                    },
                });
            }
            else
            {
                target.RequestCancel(command.Reason, string.Empty, new ExternalCancel(initiated, run.Execution));
                run.AddEvent(new HistoryEvent
                {
                    EventType = EventType.ExternalWorkflowExecutionCancelRequested,
                    ExternalWorkflowExecutionCancelRequestedEventAttributes = new ExternalWorkflowExecutionCancelRequestedEventAttributes
                    {
                        InitiatedEventId = initiated,
                        Namespace = ns.Name,
                        NamespaceId = ns.Id,
                        WorkflowExecution = execution,
                    },
                });
            }

            run.ScheduleWorkflowTask();
        });
    }

    /// <summary>The open run a command targets, or null (NOT_FOUND on a real server) when it is closed, unknown or not a child when it must be.</summary>
    private static WorkflowExecution? Target(WorkflowExecution run, ExecutionProto? execution, bool childOnly)
    {
        if (execution is null || string.IsNullOrEmpty(execution.WorkflowId))
        {
            return null;
        }

        var target = run.Namespace.FindRun(execution.WorkflowId, execution.RunId);
        if (target is not { IsRunning: true })
        {
            return null;
        }

        return !childOnly || target.Start.Parent?.Execution.RunId == run.RunId ? target : null;
    }
}

/// <summary>Who asked for a cancel with a RequestCancelExternalWorkflowExecution command.</summary>
internal sealed record ExternalCancel(long InitiatedEventId, ExecutionProto Execution);
