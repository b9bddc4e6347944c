using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventProcessor.Cli.Aws;

/// <summary>A PutEvents request entry, as the EventBridge JSON API names its fields.</summary>
public sealed record PutEventsEntry(
    [property: JsonPropertyName("Source")] string Source,
    [property: JsonPropertyName("DetailType")] string DetailType,
    [property: JsonPropertyName("Detail")] string Detail,
    [property: JsonPropertyName("Resources")] IReadOnlyList<string> Resources,
    [property: JsonPropertyName("Time")] long Time,
    [property: JsonPropertyName("EventBusName")] string EventBusName);

internal sealed record PutEventsRequestBody([property: JsonPropertyName("Entries")] IReadOnlyList<PutEventsEntry> Entries);

internal sealed record PutEventsResultEntry(
    [property: JsonPropertyName("EventId")] string? EventId,
    [property: JsonPropertyName("ErrorCode")] string? ErrorCode,
    [property: JsonPropertyName("ErrorMessage")] string? ErrorMessage);

internal sealed record PutEventsResponseBody(
    [property: JsonPropertyName("FailedEntryCount")] int FailedEntryCount,
    [property: JsonPropertyName("Entries")] IReadOnlyList<PutEventsResultEntry>? Entries);

/// <summary>The outcome of one entry: the bus's event id, or the error that stopped it.</summary>
public sealed record PutEventsOutcome(string? EventId, string? ErrorCode, string? ErrorMessage)
{
    public bool Accepted => EventId is not null && ErrorCode is null;
}

[JsonSerializable(typeof(PutEventsRequestBody))]
[JsonSerializable(typeof(PutEventsResponseBody))]
internal sealed partial class EventBridgeJsonContext : JsonSerializerContext;

/// <summary>An error answered for a whole PutEvents call (auth, throttling, validation).</summary>
public sealed class EventBridgeException(string message, string? errorType, bool retryable) : Exception(message)
{
    public string? ErrorType { get; } = errorType;

    public bool Retryable { get; } = retryable;
}

/// <summary>
/// EventBridge PutEvents over its documented JSON API (AWSSDK.EventBridge is not served here):
/// <c>POST /</c>, <c>X-Amz-Target: AWSEvents.PutEvents</c>, <c>application/x-amz-json-1.1</c>, SigV4-signed.
/// </summary>
internal sealed class EventBridgeClient(HttpClient http, Uri endpoint, AwsContext aws, TimeProvider time)
{
    /// <summary>PutEvents takes at most 10 entries per call.</summary>
    public const int MaxEntriesPerCall = 10;

    public static Uri DefaultEndpoint(string region) => new($"https://events.{region}.amazonaws.com/");

    public async Task<IReadOnlyList<PutEventsOutcome>> PutEventsAsync(IReadOnlyList<PutEventsEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count is 0 or > MaxEntriesPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(entries), $"PutEvents takes 1 to {MaxEntriesPerCall} entries, not {entries.Count}.");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new PutEventsRequestBody(entries), EventBridgeJsonContext.Default.PutEventsRequestBody);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSEvents.PutEvents");
        var credentials = await aws.Credentials.GetCredentialsAsync().ConfigureAwait(false);
        SigV4Signer.Sign(request, body, credentials, aws.Region, "events", time.GetUtcNow());

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response.StatusCode, text);
        }

        var parsed = JsonSerializer.Deserialize(text, EventBridgeJsonContext.Default.PutEventsResponseBody)
            ?? throw new EventBridgeException("EventBridge answered an empty PutEvents response.", null, retryable: true);
        var results = parsed.Entries ?? [];
        if (results.Count != entries.Count)
        {
            throw new EventBridgeException($"EventBridge answered {results.Count} entries for {entries.Count} sent.", null, retryable: true);
        }

        return [.. results.Select(r => new PutEventsOutcome(r.EventId, r.ErrorCode, r.ErrorMessage))];
    }

    private static EventBridgeException Error(HttpStatusCode status, string text)
    {
        string? type = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            type = document.RootElement.TryGetProperty("__type", out var t) ? t.GetString()?.Split('#')[^1] : null;
            message = document.RootElement.TryGetProperty("message", out var m) ? m.GetString()
                : document.RootElement.TryGetProperty("Message", out var m2) ? m2.GetString() : null;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the status says enough.
        }

        var retryable = (int)status >= 500 || type is "ThrottlingException" or "InternalException";
        return new EventBridgeException($"EventBridge answered {(int)status} {type ?? string.Empty}: {message ?? text}".Trim(), type, retryable);
    }
}
