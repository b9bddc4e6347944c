namespace EventProcessor.Events.Payloads;

/// <summary>
/// The input of every event workflow: the typed detail plus the envelope facts a workflow needs
/// (the event id drives idempotency markers, the time orders events).
/// </summary>
public sealed record EventInput<TDetail>(string EventId, string Source, DateTimeOffset Time, TDetail Detail)
    where TDetail : IEventDetail;
