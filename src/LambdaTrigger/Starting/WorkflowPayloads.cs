using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventProcessor.Encryption;
using EventProcessor.Events.Validation;
using Google.Protobuf;
using Temporalio.Api.Common.V1;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// Turns values into Temporal payloads the way the product's data converter does
/// (EventProcessorDataConverter: the SDK's default converter, then the AES-GCM codec when
/// encryption is on): <c>json/plain</c> with the serializer's default options, then encrypted whole.
/// The trigger's tests decode what this writes with the worker's converter and compare it with
/// what the SDK writes, byte for byte.
/// </summary>
public sealed class WorkflowPayloads
{
    private const string EncodingKey = "encoding";
    private static readonly ByteString JsonPlain = ByteString.CopyFromUtf8("json/plain");
    private static readonly ByteString KeywordType = ByteString.CopyFromUtf8("Keyword");

    private readonly AesGcmPayloadCodec? codec;

    /// <param name="encryption">Section <c>Encryption</c>, read; null keys (encryption off) store plaintext.</param>
    public WorkflowPayloads(EncryptionSettings encryption)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        codec = encryption.Enabled && encryption.Keys is { } keys ? new AesGcmPayloadCodec(keys) : null;
    }

    /// <summary>True when payloads are encrypted.</summary>
    public bool Encrypts => codec is not null;

    /// <summary>The workflow input, <c>EventInput&lt;TDetail&gt;</c> of the event's detail record.</summary>
    public Payload Input(ParsedEvent parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var info = WorkflowPayloadJsonContext.Default.GetTypeInfo(parsed.Definition.InputType)
            ?? throw new InvalidOperationException($"No JSON contract for {parsed.Definition.InputType}: add it to WorkflowPayloadJsonContext.");
        return Encode(JsonSerializer.SerializeToUtf8Bytes(parsed.CreateWorkflowInput(), info));
    }

    /// <summary>A string (memo field, summary, details), encoded as the SDK encodes any string: a JSON string.</summary>
    public Payload String(string value) =>
        Encode(JsonSerializer.SerializeToUtf8Bytes(value, WorkflowPayloadJsonContext.Default.String));

    /// <summary>
    /// A keyword search attribute: <c>json/plain</c> plus <c>type: Keyword</c>, as the SDK's
    /// SearchAttributeCollection.ToProto writes it. Never encrypted: the server indexes it.
    /// </summary>
    public static Payload Keyword(string value)
    {
        var payload = Plain(JsonSerializer.SerializeToUtf8Bytes(value, WorkflowPayloadJsonContext.Default.String));
        payload.Metadata["type"] = KeywordType;
        return payload;
    }

    private Payload Encode(byte[] json)
    {
        var plain = Plain(json);
        return codec is null ? plain : codec.Encrypt(plain);
    }

    private static Payload Plain(byte[] json) => new()
    {
        Metadata = { [EncodingKey] = JsonPlain },
        Data = UnsafeByteOperations.UnsafeWrap(json),
    };
}
