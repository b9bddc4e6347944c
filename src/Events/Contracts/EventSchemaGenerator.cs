using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Contracts;

/// <summary>
/// Writes the published contract of one detail-type: a JSON Schema draft-04 document (what the
/// EventBridge schema registry accepts as <c>JSONSchemaDraft4</c>) describing the whole EventBridge
/// event, envelope and <c>detail</c>, from the catalog entry alone. The checked-in
/// <c>schemas/{detail-type}.json</c> are this output; a test regenerates them and fails on a difference.
/// </summary>
public static class EventSchemaGenerator
{
    /// <summary>The draft-04 meta-schema URI.</summary>
    public const string Draft04 = "http://json-schema.org/draft-04/schema#";

    /// <summary>
    /// RFC 3339 date-time, the form the schema asks of producers. The processor itself accepts
    /// any ISO-8601 date-time .NET can read, so every value that matches this is also accepted.
    /// </summary>
    public const string DateTimePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    private static readonly string[] EnvelopeFields = ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"];

    private static readonly JsonWriterOptions Output = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file name of a type's schema under <c>schemas/</c>.</summary>
    public static string FileName(EventTypeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return $"{definition.DetailType}.json";
    }

    /// <summary>The schema document, as it is checked in (indented, <c>\n</c> line ends, a final newline).</summary>
    public static string Generate(EventTypeDefinition definition)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Output))
        {
            Build(definition).WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>The schema document as a JSON object.</summary>
    public static JsonObject Build(EventTypeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var detail = new JsonObject
        {
            ["type"] = "object",
            ["title"] = $"{definition.ShortName}Detail",
            ["description"] = $"The payload of {definition.DetailType}. Fields not listed here are ignored, so a producer may send more.",
            ["required"] = Strings(definition.Fields.Where(f => f.Required).Select(f => f.Name)),
            ["properties"] = new JsonObject(definition.Fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)Field(f)))),
        };
        if (!definition.Fields.Any(f => f.Required))
        {
            detail.Remove("required");
        }

        var sources = definition.DefaultSources;
        return new JsonObject
        {
            ["$schema"] = Draft04,
            ["title"] = definition.DetailType,
            ["description"] = $"{definition.DetailType}: an EventBridge event that the event processor handles with {definition.WorkflowType}. "
                + $"{definition.Behaviour} Generated from the event catalog (src/Events/Catalog/EventCatalog.cs); see docs/events.md.",
            ["type"] = "object",
            ["required"] = Strings(EnvelopeFields),
            ["properties"] = new JsonObject
            {
                ["version"] = EnvelopeString("EventBridge's envelope version, \"0\"."),
                ["id"] = EnvelopeString("The event's unique id (PutEvents assigns it). The processor starts at most one workflow per detail-type and id: a redelivered event finds the run it already started."),
                ["detail-type"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = Strings([definition.DetailType]),
                    ["description"] = "Selects the workflow; matched exactly.",
                },
                ["source"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = Strings(sources),
                    ["description"] = $"The emitting service. Allowed by default: {string.Join(", ", sources)} (an operator may configure others; any other source is rejected).",
                },
                ["account"] = EnvelopeString("The AWS account the event was put from."),
                ["time"] = new JsonObject
                {
                    ["type"] = "string",
                    ["format"] = "date-time",
                    ["pattern"] = DateTimePattern,
                    ["description"] = "When the event happened (RFC 3339); orders events of the same object.",
                },
                ["region"] = EnvelopeString("The AWS region of the bus."),
                ["resources"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string" },
                    ["description"] = "ARNs the event is about; may be empty.",
                },
                ["detail"] = detail,
            },
        };
    }

    private static JsonObject Field(EventField field)
    {
        var schema = new JsonObject();
        switch (field.Type)
        {
            case FieldType.FreeForm:
                // No "type": any JSON value is accepted and kept as it came.
                break;
            case FieldType.Object:
                schema["type"] = TypeOf("object", field.Required);
                break;
            case FieldType.Integer:
                schema["type"] = TypeOf("integer", field.Required);
                break;
            case FieldType.Number:
                schema["type"] = TypeOf("number", field.Required);
                break;
            case FieldType.Boolean:
                schema["type"] = TypeOf("boolean", field.Required);
                break;
            default:
                schema["type"] = TypeOf("string", field.Required);
                break;
        }

        switch (field.Type)
        {
            case FieldType.Email:
                schema["format"] = "email";
                schema["pattern"] = field.Required ? FieldRules.EmailPattern : $"^$|{FieldRules.EmailPattern}";
                break;
            case FieldType.Url:
                schema["format"] = "uri";
                schema["pattern"] = field.Required ? FieldRules.UrlPattern : $"^$|{FieldRules.UrlPattern}";
                break;
            case FieldType.DateTime:
                schema["format"] = "date-time";
                schema["pattern"] = DateTimePattern;
                break;
            case FieldType.String when field.Required:
                schema["minLength"] = 1;
                schema["pattern"] = FieldRules.NotBlankPattern;
                break;
        }

        schema["description"] = field.IsFreeForm
            ? $"Free-form: text or any JSON value (object, array, number, boolean), kept as sent. {field.Description}"
            : field.Description;
        return schema;
    }

    // Optional fields may be null: the parser treats null as absent.
    private static JsonNode TypeOf(string type, bool required) => required ? JsonValue.Create(type) : Strings([type, "null"]);

    private static JsonObject EnvelopeString(string description) => new()
    {
        ["type"] = "string",
        ["minLength"] = 1,
        ["pattern"] = FieldRules.NotBlankPattern,
        ["description"] = description,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
