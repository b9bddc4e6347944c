using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Temporalio.Api.Common.V1;

namespace EventProcessor.Cli.Runs;

/// <summary>Payloads as text a person can read: JSON pretty-printed with secrets masked, anything else described.</summary>
internal static class PayloadText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Describe(Payloads? payloads) =>
        payloads is null || payloads.Payloads_.Count == 0 ? "(none)" : string.Join(Environment.NewLine, payloads.Payloads_.Select(Describe));

    public static string Describe(Payload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var encoding = payload.Metadata.TryGetValue("encoding", out var e) ? e.ToStringUtf8() : "(no encoding)";
        if (encoding == "binary/null")
        {
            return "null";
        }

        if (encoding != "json/plain")
        {
            // Encrypted or binary payloads stay opaque here; Temporal UI with the codec server decodes them.
            return $"({encoding}, {payload.Data.Length} bytes; not decoded)";
        }

        var text = payload.Data.ToString(Encoding.UTF8);
        try
        {
            return SecretMasker.MaskNode(JsonNode.Parse(text))?.ToJsonString(Indented) ?? "null";
        }
        catch (JsonException)
        {
            return SecretMasker.MaskUrlSecrets(text);
        }
    }

    public static string Describe(ByteString? bytes) => bytes is null || bytes.IsEmpty ? string.Empty : bytes.ToString(Encoding.UTF8);
}
