using System.Text.Encodings.Web;
using System.Text.Json;

namespace EventProcessor.Activities.Push;

/// <summary>Body of <c>POST /apps/{id}/events</c>: <c>{"name","channels","data"}</c>, <c>data</c> a JSON-encoded string.</summary>
public sealed record PusherEvent(string Name, IReadOnlyList<string> Channels, string Data);

/// <summary>Body of <c>POST /apps/{id}/batch_events</c>: <c>{"batch":[{"channel","name","data"}]}</c>.</summary>
public sealed record PusherBatch(IReadOnlyList<PusherBatchEvent> Batch);

public sealed record PusherBatchEvent(string Channel, string Name, string Data);

/// <summary>
/// JSON of Pusher bodies. The relaxed encoder writes quotes inside <c>data</c> as <c>\"</c> (not
/// <c>\u0022</c>), so bodies look like Pusher's documentation and its published signature example.
/// </summary>
public static class PusherJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
