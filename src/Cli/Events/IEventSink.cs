namespace EventProcessor.Cli.Events;

/// <summary>Where valid events go: the local intake or an EventBridge bus.</summary>
internal interface IEventSink
{
    string Name { get; }

    /// <summary>Sends the events; one result per event, in order. Accepted means the event will not be lost.</summary>
    Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<EventItem> events, CancellationToken cancellationToken);
}

public sealed record SendResult(EventItem Event, bool Accepted, string Detail);
