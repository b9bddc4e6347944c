using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using TaskQueueProto = Temporalio.Api.TaskQueue.V1.TaskQueue;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>A command the server rejects: the workflow task fails with this cause.</summary>
internal sealed record CommandRejection(WorkflowTaskFailedCause Cause, string Message);

/// <summary>
/// Validates and applies the commands of one RespondWorkflowTaskCompleted. Validation runs
/// over all commands before anything is written, so a rejected task leaves no command events.
/// </summary>
internal sealed class CommandProcessor(WorkflowExecution run, RepeatedField<Command> commands)
{
    private readonly Dictionary<int, ActivityTaskScheduledEventAttributes> _activities = [];
    private readonly Dictionary<int, Dictionary<string, Payload?>> _searchAttributes = [];

    public static bool IsCloseCommand(Command command) => command.CommandType is
        CommandType.CompleteWorkflowExecution or CommandType.FailWorkflowExecution or
        CommandType.CancelWorkflowExecution or CommandType.ContinueAsNewWorkflowExecution;

    public CommandRejection? Validate()
    {
        var activityIds = new HashSet<string>(StringComparer.Ordinal);
        var timerIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var rejection = MissingAttributes(command) ?? command.CommandType switch
            {
                CommandType.ScheduleActivityTask => ValidateActivity(i, command.ScheduleActivityTaskCommandAttributes, activityIds),
                CommandType.RequestCancelActivityTask =>
                    run.Activities.Contains(command.RequestCancelActivityTaskCommandAttributes?.ScheduledEventId ?? 0)
                        ? null
                        : new CommandRejection(WorkflowTaskFailedCause.BadRequestCancelActivityAttributes, "Unknown activity scheduled event id."),
                CommandType.StartTimer => ValidateTimer(command.StartTimerCommandAttributes, timerIds),
                CommandType.CancelTimer => command.CancelTimerCommandAttributes is { } cancel && run.Timers.Contains(cancel.TimerId) && !timerIds.Contains(cancel.TimerId)
                    ? null
                    : new CommandRejection(WorkflowTaskFailedCause.BadCancelTimerAttributes, "Unknown timer id."),
                CommandType.CompleteWorkflowExecution or CommandType.FailWorkflowExecution or CommandType.CancelWorkflowExecution or CommandType.RecordMarker
                    or CommandType.ModifyWorkflowProperties => null,
                CommandType.UpsertWorkflowSearchAttributes => ValidateSearchAttributes(i, command.UpsertWorkflowSearchAttributesCommandAttributes?.SearchAttributes),
                CommandType.ContinueAsNewWorkflowExecution => ValidateContinueAsNew(i, command.ContinueAsNewWorkflowExecutionCommandAttributes),
                CommandType.StartChildWorkflowExecution => ValidateChild(i, command.StartChildWorkflowExecutionCommandAttributes),
                CommandType.SignalExternalWorkflowExecution => ValidateSignalExternal(command.SignalExternalWorkflowExecutionCommandAttributes),
                CommandType.RequestCancelExternalWorkflowExecution => ValidateCancelExternal(command.RequestCancelExternalWorkflowExecutionCommandAttributes),
                _ => new CommandRejection(WorkflowTaskFailedCause.UnhandledCommand, $"Command {command.CommandType} is not supported by the embedded Temporal server."),
            };
            if (rejection is not null)
            {
                return rejection;
            }

            if (IsCloseCommand(command) && i != commands.Count - 1)
            {
                return new CommandRejection(WorkflowTaskFailedCause.UnhandledCommand, "A workflow-closing command must be the last command.");
            }
        }

        return null;
    }

    /// <summary>Writes the command events; returns true when a new workflow task is needed right away.</summary>
    public bool Apply(long completedEventId)
    {
        var needsNewTask = false;
        for (var i = 0; i < commands.Count && run.IsRunning; i++)
        {
            var command = commands[i];
            switch (command.CommandType)
            {
                case CommandType.ScheduleActivityTask:
                    var scheduled = _activities[i];
                    scheduled.WorkflowTaskCompletedEventId = completedEventId;
                    run.Activities.Schedule(scheduled, command.UserMetadata);
                    break;
                case CommandType.RequestCancelActivityTask:
                    needsNewTask |= run.Activities.RequestCancel(command.RequestCancelActivityTaskCommandAttributes.ScheduledEventId, completedEventId);
                    break;
                case CommandType.StartTimer:
                    var timer = command.StartTimerCommandAttributes;
                    run.Timers.Start(timer.TimerId, timer.StartToFireTimeout.ToTimeSpan(), completedEventId);
                    break;
                case CommandType.CancelTimer:
                    run.Timers.Cancel(command.CancelTimerCommandAttributes.TimerId, completedEventId, string.Empty);
                    break;
                case CommandType.RecordMarker:
                    var marker = command.RecordMarkerCommandAttributes;
                    var markerEvent = new MarkerRecordedEventAttributes
                    {
                        MarkerName = marker.MarkerName,
                        WorkflowTaskCompletedEventId = completedEventId,
                        Header = marker.Header,
                        Failure = marker.Failure,
                    };
                    markerEvent.Details.Add(marker.Details);
                    Append(new HistoryEvent { EventType = EventType.MarkerRecorded, MarkerRecordedEventAttributes = markerEvent }, command);
                    break;
                case CommandType.UpsertWorkflowSearchAttributes:
                    ApplySearchAttributes(_searchAttributes[i]);
                    Append(new HistoryEvent
                    {
                        EventType = EventType.UpsertWorkflowSearchAttributes,
                        UpsertWorkflowSearchAttributesEventAttributes = new UpsertWorkflowSearchAttributesEventAttributes
                        {
                            WorkflowTaskCompletedEventId = completedEventId,
                            SearchAttributes = command.UpsertWorkflowSearchAttributesCommandAttributes.SearchAttributes,
                        },
                    }, command);
                    break;
                case CommandType.ModifyWorkflowProperties:
                    var memo = command.ModifyWorkflowPropertiesCommandAttributes.UpsertedMemo;
                    if (memo is not null)
                    {
                        foreach (var (key, value) in memo.Fields)
                        {
                            if (IsNullPayload(value))
                            {
                                run.Memo.Fields.Remove(key);
                            }
                            else
                            {
                                run.Memo.Fields[key] = value;
                            }
                        }
                    }

                    Append(new HistoryEvent
                    {
                        EventType = EventType.WorkflowPropertiesModified,
                        WorkflowPropertiesModifiedEventAttributes = new WorkflowPropertiesModifiedEventAttributes
                        {
                            WorkflowTaskCompletedEventId = completedEventId,
                            UpsertedMemo = memo,
                        },
                    }, command);
                    break;
                case CommandType.CompleteWorkflowExecution:
                    run.Close(WorkflowExecutionStatus.Completed, WithMetadata(new HistoryEvent
                    {
                        EventType = EventType.WorkflowExecutionCompleted,
                        WorkflowExecutionCompletedEventAttributes = new WorkflowExecutionCompletedEventAttributes
                        {
                            Result = command.CompleteWorkflowExecutionCommandAttributes.Result,
                            WorkflowTaskCompletedEventId = completedEventId,
                        },
                    }, command));
                    break;
                case CommandType.StartChildWorkflowExecution:
                    run.Children.Initiate(command.StartChildWorkflowExecutionCommandAttributes, _searchAttributes[i], completedEventId, command.UserMetadata);
                    break;
                case CommandType.SignalExternalWorkflowExecution:
                    ExternalRequests.Signal(run, command.SignalExternalWorkflowExecutionCommandAttributes, completedEventId, command.UserMetadata);
                    break;
                case CommandType.RequestCancelExternalWorkflowExecution:
                    ExternalRequests.RequestCancel(run, command.RequestCancelExternalWorkflowExecutionCommandAttributes, completedEventId, command.UserMetadata);
                    break;
                case CommandType.ContinueAsNewWorkflowExecution:
                    run.ContinueAsNew(command.ContinueAsNewWorkflowExecutionCommandAttributes, _searchAttributes.GetValueOrDefault(i), completedEventId, command.UserMetadata);
                    break;
                case CommandType.FailWorkflowExecution:
                    run.Fail(command.FailWorkflowExecutionCommandAttributes.Failure, completedEventId, command.UserMetadata);
                    break;
                case CommandType.CancelWorkflowExecution:
                    run.Close(WorkflowExecutionStatus.Canceled, WithMetadata(new HistoryEvent
                    {
                        EventType = EventType.WorkflowExecutionCanceled,
                        WorkflowExecutionCanceledEventAttributes = new WorkflowExecutionCanceledEventAttributes
                        {
                            Details = command.CancelWorkflowExecutionCommandAttributes.Details,
                            WorkflowTaskCompletedEventId = completedEventId,
                        },
                    }, command));
                    break;
            }
        }

        return needsNewTask;
    }

    private static bool IsNullPayload(Payload payload) =>
        (payload.Metadata.TryGetValue("encoding", out var encoding) && encoding.ToStringUtf8() == "binary/null")
        || (payload.Data.IsEmpty && payload.Metadata.Count == 0);

    private void Append(HistoryEvent historyEvent, Command command) => run.History.Append(WithMetadata(historyEvent, command));

    private static HistoryEvent WithMetadata(HistoryEvent historyEvent, Command command)
    {
        historyEvent.UserMetadata = command.UserMetadata;
        return historyEvent;
    }

    private void ApplySearchAttributes(Dictionary<string, Payload?> values)
    {
        foreach (var (name, value) in values)
        {
            if (value is null)
            {
                run.SearchAttributes.Remove(name);
            }
            else
            {
                run.SearchAttributes[name] = value;
            }
        }
    }

    private CommandRejection? ValidateChild(int index, StartChildWorkflowExecutionCommandAttributes command)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadStartChildExecutionAttributes;
        if (OtherNamespace(NamespaceOf(command)))
        {
            return new CommandRejection(cause, "Child workflows in another namespace are not supported by the embedded Temporal server.");
        }

        if (string.IsNullOrEmpty(command.WorkflowId) || command.WorkflowId.Length > Frontend.Requests.MaxIdLength)
        {
            return new CommandRejection(cause, "Required field WorkflowId is not set on command.");
        }

        if (string.IsNullOrEmpty(command.WorkflowType?.Name))
        {
            return new CommandRejection(cause, "Required field WorkflowType is not set on command.");
        }

        if (!string.IsNullOrEmpty(command.CronSchedule))
        {
            return new CommandRejection(cause, "Cron workflows are not supported by the embedded Temporal server.");
        }

        if (RetryPolicies.Validate(command.RetryPolicy) is { } retryError)
        {
            return new CommandRejection(cause, retryError);
        }

        // Bad search attributes fail the task with BAD_SEARCH_ATTRIBUTES, as for an upsert.
        return ValidateSearchAttributes(index, command.SearchAttributes);
    }

    private CommandRejection? ValidateSignalExternal(SignalExternalWorkflowExecutionCommandAttributes command)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadSignalWorkflowExecutionAttributes;
        if (OtherNamespace(NamespaceOf(command)))
        {
            return new CommandRejection(cause, "Signals to another namespace are not supported by the embedded Temporal server.");
        }

        if (string.IsNullOrEmpty(command.Execution?.WorkflowId))
        {
            return new CommandRejection(cause, "Required field WorkflowId is not set on command.");
        }

        return string.IsNullOrEmpty(command.SignalName) ? new CommandRejection(cause, "SignalName is not set on command.") : null;
    }

    private CommandRejection? ValidateCancelExternal(RequestCancelExternalWorkflowExecutionCommandAttributes command)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadRequestCancelExternalWorkflowExecutionAttributes;
        if (OtherNamespace(NamespaceOf(command)))
        {
            return new CommandRejection(cause, "Cancel requests to another namespace are not supported by the embedded Temporal server.");
        }

        return string.IsNullOrEmpty(command.WorkflowId) ? new CommandRejection(cause, "Required field WorkflowId is not set on command.") : null;
    }

    private bool OtherNamespace(string? name) => !string.IsNullOrEmpty(name) && name != run.Namespace.Name;

#pragma warning disable CS0612 // the namespace field is deprecated, yet a command naming another namespace must still be refused
    private static string? NamespaceOf(StartChildWorkflowExecutionCommandAttributes command) => command.Namespace;

    private static string? NamespaceOf(SignalExternalWorkflowExecutionCommandAttributes command) => command.Namespace;

    private static string? NamespaceOf(RequestCancelExternalWorkflowExecutionCommandAttributes command) => command.Namespace;
#pragma warning restore CS0612

    private CommandRejection? ValidateContinueAsNew(int index, ContinueAsNewWorkflowExecutionCommandAttributes command)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadContinueAsNewAttributes;
        if (!string.IsNullOrEmpty(command.CronSchedule))
        {
            return new CommandRejection(cause, "Cron workflows are not supported by the embedded Temporal server.");
        }

        if (RetryPolicies.Validate(command.RetryPolicy) is { } retryError)
        {
            return new CommandRejection(cause, retryError);
        }

        if (command.TaskQueue?.Name is { Length: > Frontend.Requests.MaxIdLength })
        {
            return new CommandRejection(cause, "TaskQueue length exceeds limit.");
        }

        return command.SearchAttributes is null ? null : ValidateSearchAttributes(index, command.SearchAttributes);
    }

    private CommandRejection? ValidateSearchAttributes(int index, SearchAttributes? attributes)
    {
        try
        {
            _searchAttributes[index] = run.Namespace.SearchAttributes.Validate(attributes);
            return null;
        }
        catch (Grpc.Core.RpcException ex)
        {
            return new CommandRejection(WorkflowTaskFailedCause.BadSearchAttributes, ex.Status.Detail);
        }
    }

    /// <summary>A command whose attributes do not match its type is rejected as a real server does.</summary>
    private static CommandRejection? MissingAttributes(Command command)
    {
        var (expected, cause) = command.CommandType switch
        {
            CommandType.ScheduleActivityTask => (Command.AttributesOneofCase.ScheduleActivityTaskCommandAttributes, WorkflowTaskFailedCause.BadScheduleActivityAttributes),
            CommandType.RequestCancelActivityTask => (Command.AttributesOneofCase.RequestCancelActivityTaskCommandAttributes, WorkflowTaskFailedCause.BadRequestCancelActivityAttributes),
            CommandType.StartTimer => (Command.AttributesOneofCase.StartTimerCommandAttributes, WorkflowTaskFailedCause.BadStartTimerAttributes),
            CommandType.CancelTimer => (Command.AttributesOneofCase.CancelTimerCommandAttributes, WorkflowTaskFailedCause.BadCancelTimerAttributes),
            CommandType.CompleteWorkflowExecution => (Command.AttributesOneofCase.CompleteWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadCompleteWorkflowExecutionAttributes),
            CommandType.FailWorkflowExecution => (Command.AttributesOneofCase.FailWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadFailWorkflowExecutionAttributes),
            CommandType.CancelWorkflowExecution => (Command.AttributesOneofCase.CancelWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadCancelWorkflowExecutionAttributes),
            CommandType.RecordMarker => (Command.AttributesOneofCase.RecordMarkerCommandAttributes, WorkflowTaskFailedCause.BadRecordMarkerAttributes),
            CommandType.UpsertWorkflowSearchAttributes => (Command.AttributesOneofCase.UpsertWorkflowSearchAttributesCommandAttributes, WorkflowTaskFailedCause.BadSearchAttributes),
            CommandType.ModifyWorkflowProperties => (Command.AttributesOneofCase.ModifyWorkflowPropertiesCommandAttributes, WorkflowTaskFailedCause.BadModifyWorkflowPropertiesAttributes),
            CommandType.ContinueAsNewWorkflowExecution => (Command.AttributesOneofCase.ContinueAsNewWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadContinueAsNewAttributes),
            CommandType.StartChildWorkflowExecution => (Command.AttributesOneofCase.StartChildWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadStartChildExecutionAttributes),
            CommandType.SignalExternalWorkflowExecution => (Command.AttributesOneofCase.SignalExternalWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadSignalWorkflowExecutionAttributes),
            CommandType.RequestCancelExternalWorkflowExecution => (Command.AttributesOneofCase.RequestCancelExternalWorkflowExecutionCommandAttributes, WorkflowTaskFailedCause.BadRequestCancelExternalWorkflowExecutionAttributes),
            _ => (Command.AttributesOneofCase.None, WorkflowTaskFailedCause.Unspecified),
        };
        if (expected == Command.AttributesOneofCase.None || command.AttributesCase == expected)
        {
            return null;
        }

        return new CommandRejection(cause, $"{expected} is not set on command.");
    }

    private static CommandRejection? ValidateTimer(StartTimerCommandAttributes? timer, HashSet<string> timerIds)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadStartTimerAttributes;
        if (timer is null || string.IsNullOrEmpty(timer.TimerId))
        {
            return new CommandRejection(cause, "TimerId is not set on command.");
        }

        if (timer.StartToFireTimeout is null || timer.StartToFireTimeout.ToTimeSpan() <= TimeSpan.Zero)
        {
            return new CommandRejection(cause, "An invalid StartToFireTimeout is set on command.");
        }

        return timerIds.Add(timer.TimerId) ? null : new CommandRejection(cause, $"Timer id {timer.TimerId} is already in use.");
    }

    /// <summary>Validates a ScheduleActivityTask command and fills the timeouts and retry policy a real server fills.</summary>
    private CommandRejection? ValidateActivity(int index, ScheduleActivityTaskCommandAttributes? command, HashSet<string> activityIds)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadScheduleActivityAttributes;
        if (command is null)
        {
            return new CommandRejection(cause, "ScheduleActivityTaskCommandAttributes is not set on command.");
        }

        if (string.IsNullOrEmpty(command.ActivityId))
        {
            return new CommandRejection(cause, "ActivityId is not set on command.");
        }

        if (string.IsNullOrEmpty(command.ActivityType?.Name))
        {
            return new CommandRejection(cause, "ActivityType is not set on command.");
        }

        if (run.Activities.ContainsActivityId(command.ActivityId) || !activityIds.Add(command.ActivityId))
        {
            return new CommandRejection(cause, $"Activity id {command.ActivityId} is already in use.");
        }

        if (RetryPolicies.Validate(command.RetryPolicy) is { } retryError)
        {
            return new CommandRejection(cause, retryError);
        }

        static TimeSpan Of(Duration? d) => d?.ToTimeSpan() ?? TimeSpan.Zero;
        var scheduleToClose = Of(command.ScheduleToCloseTimeout);
        var scheduleToStart = Of(command.ScheduleToStartTimeout);
        var startToClose = Of(command.StartToCloseTimeout);
        var heartbeat = Of(command.HeartbeatTimeout);
        if (scheduleToClose < TimeSpan.Zero || scheduleToStart < TimeSpan.Zero || startToClose < TimeSpan.Zero || heartbeat < TimeSpan.Zero)
        {
            return new CommandRejection(cause, "A valid timeout may not be negative.");
        }

        if (scheduleToClose == TimeSpan.Zero && startToClose == TimeSpan.Zero)
        {
            return new CommandRejection(cause, "A valid StartToClose or ScheduleToCloseTimeout is not set on command.");
        }

        var runTimeout = run.Start.RunTimeout ?? run.Start.ExecutionTimeout ?? TimeSpan.Zero;
        if (scheduleToClose == TimeSpan.Zero || (runTimeout > TimeSpan.Zero && scheduleToClose > runTimeout))
        {
            scheduleToClose = runTimeout;
        }

        if (scheduleToClose > TimeSpan.Zero)
        {
            if (scheduleToStart == TimeSpan.Zero || scheduleToStart > scheduleToClose)
            {
                scheduleToStart = scheduleToClose;
            }

            if (startToClose == TimeSpan.Zero || startToClose > scheduleToClose)
            {
                startToClose = scheduleToClose;
            }
        }

        if (heartbeat > startToClose)
        {
            heartbeat = startToClose;
        }

        var taskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? run.Start.TaskQueue : command.TaskQueue.Name;
        _activities[index] = new ActivityTaskScheduledEventAttributes
        {
            ActivityId = command.ActivityId,
            ActivityType = command.ActivityType,
            TaskQueue = new TaskQueueProto { Name = taskQueue, Kind = TaskQueueKind.Normal },
            Header = command.Header,
            Input = command.Input,
            ScheduleToCloseTimeout = Duration.FromTimeSpan(scheduleToClose),
            ScheduleToStartTimeout = Duration.FromTimeSpan(scheduleToStart),
            StartToCloseTimeout = Duration.FromTimeSpan(startToClose),
            HeartbeatTimeout = Duration.FromTimeSpan(heartbeat),
            RetryPolicy = RetryPolicies.WithDefaults(command.RetryPolicy),
            Priority = command.Priority,
        };
        return null;
    }
}
