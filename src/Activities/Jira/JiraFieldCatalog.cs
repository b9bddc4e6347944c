using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Activities.Downstream;

namespace EventProcessor.Activities.Jira;

/// <summary>
/// The site's fields and their types, read once from <c>GET /rest/api/3/field</c> and kept for the
/// process (read again only when a field id is not in it, e.g. a field added since). It turns the
/// plain values the workflows hold into the form each field type takes in REST v3: text as a
/// string, multi-line text as an ADF document, numbers as numbers, select lists as <c>{"value"}</c>.
/// </summary>
public sealed class JiraFieldCatalog
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Dictionary<string, JiraField>? fields;

    /// <summary>The field, loading the catalog with <paramref name="load"/> when it is not known yet.</summary>
    public async Task<JiraField?> FindAsync(string id, Func<Task<IReadOnlyList<JiraField>>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (Volatile.Read(ref fields) is { } known && known.TryGetValue(id, out var field))
        {
            return field;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (fields is null || !fields.ContainsKey(id))
            {
                var loaded = await load().ConfigureAwait(false);
                Volatile.Write(ref fields, loaded.DistinctBy(f => f.Id, StringComparer.Ordinal).ToDictionary(f => f.Id, StringComparer.Ordinal));
            }

            return fields!.GetValueOrDefault(id);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The value in the form <paramref name="field"/>'s type takes; null clears the field.</summary>
    public static JsonNode? ValueFor(JiraField field, string? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (value is null)
        {
            return null;
        }

        var schema = field.Schema;
        var custom = schema?.Custom ?? string.Empty;
        switch (schema?.Type)
        {
            case "string" when schema.System == "summary":
                return JsonValue.Create(JiraText.Summary(value));
            case "string" when schema.System == "description" || custom.EndsWith(":textarea", StringComparison.Ordinal):
                return JsonSerializer.SerializeToNode(Adf.FromPlainText(value), JiraJson.Options);
            case "number":
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : throw Invalid(field, value, "a number");
            case "option":
                return new JsonObject { ["value"] = value };
            case "array" when schema.Items == "option":
                return new JsonArray(new JsonObject { ["value"] = value });
            case "array" when schema.Items == "string":
                return new JsonArray(JsonValue.Create(value));
            default:
                return JsonValue.Create(value);
        }
    }

    private static Temporalio.Exceptions.ApplicationFailureException Invalid(JiraField field, string value, string expected) =>
        DownstreamFailure.Permanent(DownstreamApi.Jira, "InvalidFieldValue",
            $"'{value}' cannot be written to Jira field {field.Name ?? field.Id} ({field.Id}): the field takes {expected}.");
}
