using EventProcessor.Events.Catalog;
using EventProcessor.Events.Payloads;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// The event a run processes, for log scopes and metrics. A workflow learns it from what it was
/// started with, never from its workflow id (a re-run or a coalesced run has another id): the
/// event id from its <see cref="EventInput{TDetail}"/> argument, else from the <c>EventId</c>
/// search attribute the trigger and the CLI set at start; the event type from the <c>EventType</c>
/// search attribute, else from the catalog entry of its workflow type. Its activities learn both
/// from two Temporal headers the workflow adds to every activity it schedules.
/// </summary>
internal sealed record RunEvent(string? EventId, string EventType)
{
    /// <summary>Activity header carrying the event id (a string payload).</summary>
    public const string EventIdHeader = "eventprocessor-event-id";

    /// <summary>Activity header carrying the event's detail-type (a string payload).</summary>
    public const string EventTypeHeader = "eventprocessor-event-type";

    /// <summary>The event of the current workflow run; call inside the workflow.</summary>
    public static RunEvent OfWorkflow(ExecuteWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var attributes = Workflow.TypedSearchAttributes;
        var eventId = input.Args.OfType<IEventInput>().FirstOrDefault()?.EventId
            ?? (attributes.TryGetValue(EventSearchAttributes.EventId, out var id) ? id : null);
        var eventType = attributes.TryGetValue(EventSearchAttributes.EventType, out var type) ? type : DetailTypeOf(Workflow.Info.WorkflowType);
        return new RunEvent(eventId, eventType);
    }

    /// <summary>
    /// The event of the current activity, from the headers its workflow added; an activity
    /// scheduled without them (by a run started before the headers existed) gets no event id and the
    /// event type of its workflow's catalog entry.
    /// </summary>
    public static RunEvent OfActivity(ExecuteActivityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        var eventId = Header(input.Headers, EventIdHeader, context.PayloadConverter);
        var eventType = Header(input.Headers, EventTypeHeader, context.PayloadConverter)
            ?? (context.Info.WorkflowType is { } workflowType ? DetailTypeOf(workflowType) : null);
        return new RunEvent(eventId, eventType ?? string.Empty);
    }

    /// <summary><paramref name="headers"/> plus this event's two headers; call inside the workflow.</summary>
    public IDictionary<string, Payload> AddTo(IDictionary<string, Payload>? headers)
    {
        var all = headers is null ? new Dictionary<string, Payload>(StringComparer.Ordinal) : new Dictionary<string, Payload>(headers, StringComparer.Ordinal);
        if (EventId is { } eventId)
        {
            all[EventIdHeader] = Workflow.PayloadConverter.ToPayload(eventId);
        }

        all[EventTypeHeader] = Workflow.PayloadConverter.ToPayload(EventType);
        return all;
    }

    private static string DetailTypeOf(string workflowType) =>
        EventCatalog.TryGetByWorkflowType(workflowType, out var definition) ? definition.DetailType : workflowType;

    private static string? Header(IReadOnlyDictionary<string, Payload>? headers, string name, IPayloadConverter converter) =>
        headers is not null && headers.TryGetValue(name, out var payload) ? converter.ToValue<string>(payload) : null;
}
