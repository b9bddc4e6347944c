using System.Text.Json;

namespace EventProcessor.Activities.Push;

/// <summary>
/// One event for the frontend. <see cref="Data"/> is already-shaped JSON (camelCase, as the
/// frontend reads it) so it survives Temporal's payload conversion unchanged. It should carry
/// absolute state (<c>runId</c>, <c>percent</c>, <c>seq</c>, ...) so receiving it twice is harmless.
/// </summary>
/// <param name="Channel">Channel name, e.g. <c>project-{projectUuid}</c>.</param>
/// <param name="EventName">Event name, e.g. <c>report-stop-progress</c>.</param>
/// <param name="Data">The payload; sent JSON-encoded as Pusher's <c>data</c> string.</param>
public sealed record PushMessage(string Channel, string EventName, JsonElement Data)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The default channel of a project's events.</summary>
    public static string ProjectChannel(string projectUuid) => $"project-{projectUuid}";

    /// <summary>A message on the project's channel, <paramref name="data"/> serialized camelCase.</summary>
    public static PushMessage ForProject(string projectUuid, string eventName, object data) =>
        Create(ProjectChannel(projectUuid), eventName, data);

    /// <summary>A message with <paramref name="data"/> (anonymous or typed object) serialized camelCase.</summary>
    public static PushMessage Create(string channel, string eventName, object data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new PushMessage(channel, eventName, JsonSerializer.SerializeToElement(data, data.GetType(), Web));
    }
}

/// <summary>What a trigger activity sent.</summary>
/// <param name="EventsSent">Events published by this attempt.</param>
/// <param name="Requests">HTTP calls made by this attempt.</param>
/// <param name="EventsAlreadySent">Events an earlier attempt had published (recorded in heartbeat details), not sent again.</param>
public sealed record PushResult(int EventsSent, int Requests, int EventsAlreadySent = 0);

/// <summary>Heartbeat detail of a batch: how many chunks of its events Pusher has accepted.</summary>
public sealed record PushBatchProgress(int ChunksSent, int Events);
