using System.Text.Json;

namespace EventProcessor.Activities.Algolia;

/// <summary>
/// Builds the attribute maps the Algolia activities take. Values travel as <see cref="JsonElement"/>
/// so the record's JSON is fixed by the workflow (camelCase, as the frontend reads it) and survives
/// Temporal's payload conversion unchanged, whatever converter options the worker uses.
/// </summary>
public static class AlgoliaAttributes
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Splits an object (anonymous or typed) into its first-level attributes, e.g. <c>From(new { reports })</c>.</summary>
    public static Dictionary<string, JsonElement> From(object attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var element = JsonSerializer.SerializeToElement(attributes, attributes.GetType(), Web);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("Algolia attributes must serialize to a JSON object.", nameof(attributes));
        }

        return element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }
}
