using System.Diagnostics.CodeAnalysis;
using EventProcessor.Events.Payloads;

namespace EventProcessor.Events.Catalog;

/// <summary>One entry of the event catalog: everything the trigger and the worker agree on for a <c>detail-type</c>.</summary>
public abstract class EventTypeDefinition
{
    private protected EventTypeDefinition(
        string detailType, IReadOnlyList<string> defaultSources, string action, string behaviour, IReadOnlyList<EventField> fields)
    {
        DetailType = detailType;
        DefaultSources = defaultSources;
        Action = action;
        Behaviour = behaviour;
        Fields = fields;
        ShortName = detailType.EndsWith("Event", StringComparison.Ordinal) ? detailType[..^"Event".Length] : detailType;
    }

    /// <summary>The EventBridge <c>detail-type</c>, e.g. <c>TicketCommentedEvent</c>.</summary>
    public string DetailType { get; }

    /// <summary>The detail-type without its <c>Event</c> suffix; prefixes workflow ids and summaries.</summary>
    public string ShortName { get; }

    /// <summary>Sources allowed unless configuration says otherwise.</summary>
    public IReadOnlyList<string> DefaultSources { get; }

    /// <summary>What the workflow does, as a short phrase for the one-line summary.</summary>
    public string Action { get; }

    /// <summary>What the processor does with the event, in a few sentences for producers (docs/events.md).</summary>
    public string Behaviour { get; }

    /// <summary>
    /// The fields of the event's <c>detail</c>, in document order: the parser's rules, the published
    /// schema and the documentation all come from this list (the typed record must agree; a test checks it).
    /// </summary>
    public IReadOnlyList<EventField> Fields { get; }

    /// <summary>The Temporal workflow type that handles this event.</summary>
    public string WorkflowType => $"{DetailType}Workflow";

    /// <summary>The typed record of the event's <c>detail</c>; validation reads its properties (kept when trimmed, for the trigger's native build).</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public abstract Type DetailRecordType { get; }

    /// <summary>The workflow input type, <c>EventInput&lt;TDetail&gt;</c>.</summary>
    public abstract Type InputType { get; }

    /// <summary>
    /// Deterministic and readable: the same event id always maps to the same workflow id, so a
    /// redelivered event finds the run it already started.
    /// </summary>
    public string WorkflowId(string eventId) => $"{ShortName}-{eventId}";

    /// <summary>The business key a person searches by (ticket, report, project, ...).</summary>
    public abstract string BusinessKey(IEventDetail detail);

    /// <summary>One line for Temporal UI, e.g. <c>TicketCommented SUP-1234: notify watchers</c>.</summary>
    public string Summary(IEventDetail detail) => $"{ShortName} {BusinessKey(detail)}: {Action}";

    /// <summary>Builds the workflow input (<see cref="InputType"/>) from the envelope facts and the typed detail.</summary>
    public abstract object CreateInput(string eventId, string source, DateTimeOffset time, IEventDetail detail);
}

/// <summary>A catalog entry for the detail record <typeparamref name="TDetail"/>.</summary>
public sealed class EventTypeDefinition<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TDetail> : EventTypeDefinition
    where TDetail : IEventDetail
{
    private readonly Func<TDetail, string> businessKey;

    internal EventTypeDefinition(
        string detailType, IReadOnlyList<string> defaultSources, string action, Func<TDetail, string> businessKey, string behaviour, IReadOnlyList<EventField> fields)
        : base(detailType, defaultSources, action, behaviour, fields) => this.businessKey = businessKey;

    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type DetailRecordType => typeof(TDetail);

    public override Type InputType => typeof(EventInput<TDetail>);

    public override string BusinessKey(IEventDetail detail) => businessKey((TDetail)detail);

    public override object CreateInput(string eventId, string source, DateTimeOffset time, IEventDetail detail) =>
        new EventInput<TDetail>(eventId, source, time, (TDetail)detail);
}
