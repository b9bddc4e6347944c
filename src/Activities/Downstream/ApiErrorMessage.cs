using System.Text.Json;

namespace EventProcessor.Activities.Downstream;

/// <summary>
/// Extracts the API's own explanation from an error body. Each API shapes errors differently
/// (Jira <c>errorMessages</c>/<c>errors</c>, JSM <c>errorMessage</c>, Algolia and HubSpot
/// <c>message</c>, the platform <c>error</c>/<c>code</c>, Pusher plain text); every field is optional.
/// </summary>
public static class ApiErrorMessage
{
    private const int MaxLength = 300;

    public static string? Extract(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var parts = new List<string>();
                var root = document.RootElement;
                if (root.TryGetProperty("errorMessages", out var messages) && messages.ValueKind == JsonValueKind.Array)
                {
                    parts.AddRange(messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!));
                }

                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    parts.AddRange(errors.EnumerateObject().Select(e => $"{e.Name}: {e.Value}"));
                }

                foreach (var name in (string[])["errorMessage", "message", "error"])
                {
                    if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(value.GetString()!);
                    }
                }

                if (root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                {
                    parts.Add($"(code {code.GetString()})");
                }
                else if (root.TryGetProperty("category", out var category) && category.ValueKind == JsonValueKind.String)
                {
                    parts.Add($"({category.GetString()})");
                }

                if (parts.Count > 0)
                {
                    return Truncate(string.Join(" ", parts));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (Pusher answers in plain text): fall through to the raw text.
        }

        return Truncate(body.Trim());
    }

    private static string Truncate(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "...";
}
