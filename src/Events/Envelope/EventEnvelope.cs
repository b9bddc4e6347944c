using System.Text.Json;

namespace EventProcessor.Events.Envelope;

/// <summary>
/// The EventBridge envelope every event arrives in. <see cref="Detail"/> stays raw JSON here:
/// it is typed only after the catalog has chosen the record for <see cref="DetailType"/>.
/// </summary>
public sealed record EventEnvelope(
    string Version,
    string Id,
    string DetailType,
    string Source,
    string Account,
    DateTimeOffset Time,
    string Region,
    IReadOnlyList<string> Resources,
    JsonElement Detail);
