using System.Text.Json;
using System.Text.Json.Serialization;
using EventProcessor.EmbeddedTemporal.Frontend;
using Google.Protobuf;

namespace EventProcessor.EmbeddedTemporal.State;

internal enum TaskTokenKind
{
    Workflow = 1,
    Activity = 2,
    Query = 3,
}

/// <summary>What a task token names: the run, the task's scheduled event id and attempt (or a query id).</summary>
internal sealed record TaskToken(
    [property: JsonPropertyName("k")] TaskTokenKind Kind,
    [property: JsonPropertyName("n")] string Namespace,
    [property: JsonPropertyName("w")] string WorkflowId,
    [property: JsonPropertyName("r")] string RunId,
    [property: JsonPropertyName("s")] long ScheduledEventId, // for workflow tasks: the task's scheduling sequence
    [property: JsonPropertyName("a")] int Attempt,
    [property: JsonPropertyName("q")] string? QueryId = null)
{
    public ByteString ToByteString() => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(this, TaskTokenJsonContext.Default.TaskToken));

    /// <summary>Parses a token, answering INVALID_ARGUMENT as a real server does for an empty or unreadable one.</summary>
    public static TaskToken Parse(ByteString token, TaskTokenKind expected)
    {
        if (token.IsEmpty)
        {
            throw RpcErrors.InvalidArgument("Task token not set on request.");
        }

        TaskToken? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(token.Span, TaskTokenJsonContext.Default.TaskToken);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is null || parsed.Kind != expected || string.IsNullOrEmpty(parsed.Namespace))
        {
            throw RpcErrors.InvalidArgument("Error deserializing task token.");
        }

        return parsed;
    }
}

[JsonSerializable(typeof(TaskToken))]
internal sealed partial class TaskTokenJsonContext : JsonSerializerContext;
