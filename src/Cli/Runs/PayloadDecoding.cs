using System.Collections;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Converters;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// Runs every payload of a raw API message (a describe response, a history event) through the
/// product's codec before it is shown, and restores failure messages the failure converter moved
/// into encoded attributes. The raw gRPC messages are what <c>runs show</c> renders, and the SDK
/// decodes only the values it converts itself, so the CLI walks the messages once, generically.
/// </summary>
internal static class PayloadDecoding
{
    public static async Task DecodeAsync(IPayloadCodec codec, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(message);
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case null:
                    break;
                case IDictionary map:
                    foreach (var key in map.Keys.Cast<object>().ToList())
                    {
                        map[key] = await DecodeValueAsync(codec, map[key]).ConfigureAwait(false);
                    }

                    break;
                case IList list when field.IsRepeated:
                    for (var i = 0; i < list.Count; i++)
                    {
                        list[i] = await DecodeValueAsync(codec, list[i]).ConfigureAwait(false);
                    }

                    break;
                case Payload payload:
                    field.Accessor.SetValue(message, await DecodeOneAsync(codec, payload).ConfigureAwait(false));
                    break;
                case IMessage nested:
                    await DecodeAsync(codec, nested).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }

        if (message is Failure { EncodedAttributes: { } encoded } failure)
        {
            RestoreFailureText(failure, encoded);
        }
    }

    private static async Task<object?> DecodeValueAsync(IPayloadCodec codec, object? value)
    {
        switch (value)
        {
            case Payload payload:
                return await DecodeOneAsync(codec, payload).ConfigureAwait(false);
            case IMessage nested:
                await DecodeAsync(codec, nested).ConfigureAwait(false);
                return nested;
            default:
                return value;
        }
    }

    private static async Task<Payload> DecodeOneAsync(IPayloadCodec codec, Payload payload) =>
        (await codec.DecodeAsync([payload]).ConfigureAwait(false)).Single();

    // Temporal's failure converter stores {"message": ..., "stack_trace": ...} in the encoded attributes.
    private static void RestoreFailureText(Failure failure, Payload encoded)
    {
        try
        {
            using var document = JsonDocument.Parse(encoded.Data.Memory);
            if (document.RootElement.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                failure.Message = text.GetString();
            }

            if (document.RootElement.TryGetProperty("stack_trace", out var stack) && stack.ValueKind == JsonValueKind.String)
            {
                failure.StackTrace = stack.GetString();
            }
        }
        catch (JsonException)
        {
            // Still encrypted (no key for it): the failure keeps its "Encoded failure" text.
        }
    }
}
