using EventProcessor.Events.Catalog;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>One run as <c>runs list</c> shows it.</summary>
public sealed record RunRow(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    string? EventType,
    WorkflowExecutionStatus Status,
    DateTime StartTime,
    DateTime? CloseTime,
    string BusinessKey)
{
    /// <summary>The status as visibility queries and Temporal UI spell it (Failed, TimedOut...).</summary>
    public string StatusName => StatusNames.Of(Status);

    public static RunRow From(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var attributes = execution.TypedSearchAttributes;
        attributes.TryGetValue(EventSearchAttributes.EventType, out var eventType);
        return new RunRow(execution.Id, execution.RunId, execution.WorkflowType, eventType, execution.Status,
            execution.StartTime, execution.CloseTime, BusinessKeyOf(attributes));
    }

    // The attribute a person would search by, most specific first.
    private static string BusinessKeyOf(Temporalio.Common.SearchAttributeCollection attributes)
    {
        if (attributes.TryGetValue(EventSearchAttributes.TicketKey, out var ticket))
        {
            return $"ticket {ticket}";
        }

        if (attributes.TryGetValue(EventSearchAttributes.ReportId, out var report))
        {
            return $"report {report}";
        }

        if (attributes.TryGetValue(EventSearchAttributes.ProjectUuid, out var project))
        {
            return $"project {project}";
        }

        return attributes.TryGetValue(EventSearchAttributes.EventId, out var eventId) ? $"event {eventId}" : "-";
    }
}

/// <summary>Execution statuses spelled the way visibility queries and Temporal UI spell them.</summary>
public static class StatusNames
{
    public static string Of(WorkflowExecutionStatus status) => status switch
    {
        WorkflowExecutionStatus.Running => "Running",
        WorkflowExecutionStatus.Completed => "Completed",
        WorkflowExecutionStatus.Failed => "Failed",
        WorkflowExecutionStatus.Canceled => "Canceled",
        WorkflowExecutionStatus.Terminated => "Terminated",
        WorkflowExecutionStatus.ContinuedAsNew => "ContinuedAsNew",
        WorkflowExecutionStatus.TimedOut => "TimedOut",
        _ => status.ToString(),
    };
}
