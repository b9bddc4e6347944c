namespace EventProcessor.Events.Payloads;

/// <summary>
/// The input of every event workflow: the typed detail plus the envelope facts a workflow needs
/// (the event id drives idempotency markers, the time orders events).
/// </summary>
public sealed record EventInput<TDetail>(string EventId, string Source, DateTimeOffset Time, TDetail Detail) : IEventInput
    where TDetail : IEventDetail;

/// <summary>
/// The envelope facts of an <see cref="EventInput{TDetail}"/>, whatever its detail: what code that
/// sees every workflow (the worker's log scope) reads without knowing the detail record.
/// </summary>
public interface IEventInput
{
    string EventId { get; }

    string Source { get; }

    DateTimeOffset Time { get; }
}
