using EventProcessor.Events.Catalog;
using EventProcessor.Events.Envelope;
using EventProcessor.Events.Payloads;
using Temporalio.Common;

namespace EventProcessor.Events.Validation;

/// <summary>A valid event: its envelope, its catalog entry and its typed detail.</summary>
public sealed record ParsedEvent(EventEnvelope Envelope, EventTypeDefinition Definition, IEventDetail Detail)
{
    public string WorkflowId => Definition.WorkflowId(Envelope.Id);

    public string WorkflowType => Definition.WorkflowType;

    public string Summary => Definition.Summary(Detail);

    /// <summary>Longer text for Temporal UI's details pane: where the event came from.</summary>
    public string Details =>
        $"Event `{Envelope.Id}` ({Envelope.DetailType}) from `{Envelope.Source}` at {Envelope.Time:O}, account {Envelope.Account}, region {Envelope.Region}.";

    public SearchAttributeCollection SearchAttributes =>
        EventSearchAttributes.For(Envelope.DetailType, Envelope.Source, Envelope.Id, Detail);

    /// <summary>The workflow input: an <c>EventInput&lt;TDetail&gt;</c> of this event's detail record.</summary>
    public object CreateWorkflowInput() => Definition.CreateInput(Envelope.Id, Envelope.Source, Envelope.Time, Detail);
}
