using System.Text.Json;

namespace EventProcessor.Cli.Events;

/// <summary>
/// The event inside a dead-lettered message. The delivery queue holds the original event as is;
/// the failed-invocation queue holds Lambda's invocation record, whose <c>requestPayload</c> is the
/// event and whose <c>responsePayload</c> says how the trigger failed it.
/// </summary>
public sealed record DeadLetterBody(string EventJson, string? TriggerError)
{
    public static DeadLetterBody Unwrap(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("requestPayload", out var payload) && payload.ValueKind == JsonValueKind.Object)
            {
                string? error = null;
                if (root.TryGetProperty("responsePayload", out var response) && response.ValueKind == JsonValueKind.Object)
                {
                    var type = response.TryGetProperty("errorType", out var t) ? t.GetString() : null;
                    var message = response.TryGetProperty("errorMessage", out var m) ? m.GetString() : null;
                    error = $"{type}: {message}";
                }

                return new DeadLetterBody(payload.GetRawText(), error);
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the parser reports it as malformed.
        }

        return new DeadLetterBody(body, null);
    }
}
