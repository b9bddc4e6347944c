using System.Globalization;
using System.Text;
using EventProcessor.Events.Catalog;

namespace EventProcessor.Events.Contracts;

/// <summary>
/// Writes docs/events.md, the producers' reference, from the catalog: per type the sources allowed,
/// every field (type, required, meaning), what the processor does, the schema and a sample. A test
/// regenerates it and fails when the checked-in file differs.
/// </summary>
public static class EventCatalogDocument
{
    /// <param name="sampleJson">The sample event of a detail-type (the text of <c>samples/events/{type}.json</c>).</param>
    public static string Render(Func<string, string> sampleJson)
    {
        ArgumentNullException.ThrowIfNull(sampleJson);
        var md = new StringBuilder();
        Line(md, "# Event catalog");
        Line(md);
        Line(md, "<!-- Generated from src/Events/Catalog/EventCatalog.cs: do not edit by hand. Regenerate with");
        Line(md, "     UPDATE_EVENT_CONTRACTS=1 dotnet test tests/Events.Tests --filter EventContractTests -->");
        Line(md);
        Line(md, "The events the event processor handles, for the teams that emit them. Each is an EventBridge");
        Line(md, "event: an envelope whose `detail-type` selects the type and whose `detail` carries the");
        Line(md, "fields listed per type. How to put events on the bus and test them first is in");
        Line(md, "[producers.md](producers.md). Every type has a JSON Schema (draft-04) in");
        Line(md, "[`schemas/`](../schemas), also published in the EventBridge schema registry of each environment,");
        Line(md, "and a sample in [`samples/events/`](../samples/events).");
        Line(md);
        Line(md, "## Rules for every type");
        Line(md);
        Line(md, "- **Envelope.** `version`, `id`, `detail-type`, `source`, `account`, `region` are non-empty");
        Line(md, "  strings, `time` an ISO-8601 date-time (RFC 3339 in the schemas), `resources` an array of");
        Line(md, "  strings (may be empty), `detail` an object. PutEvents fills in all but `source`,");
        Line(md, "  `detail-type` and `detail`.");
        Line(md, "- **Sources.** Each type is accepted only from the sources listed for it (an operator can");
        Line(md, "  change them per environment with `Events:AllowedSources`).");
        Line(md, "- **Required fields** must be present, not null, of their type, and (strings) not blank.");
        Line(md, "  **Optional fields** may be absent or null. Email fields need `local@domain`, URL fields an");
        Line(md, "  absolute http(s) URL, date-time fields an ISO-8601 date-time such as `2026-11-20T10:15:00Z`.");
        Line(md, "- **Free-form fields** accept text or any JSON value (object, array, number, boolean); the");
        Line(md, "  processor keeps the value as it came and shows it to people as text, or as pretty-printed");
        Line(md, $"  JSON, cut to {FreeFormLimit()} characters. They are: {FreeFormFields()}.");
        Line(md, "- **Unknown fields** are ignored, in the envelope and in `detail`: a producer may add fields.");
        Line(md, "- **Rejected events** (any rule above broken, an unknown `detail-type`, over 256 KB) can never");
        Line(md, "  succeed, so they are not retried: they land in the dead-letter queue with an error naming the");
        Line(md, "  event id, the type and every field at fault.");
        Line(md, "- **Ids.** EventBridge gives each event its `id`; the processor runs one workflow per `detail-type`");
        Line(md, "  and `id` (`{type without Event}-{id}`), so an event delivered twice finds the run it started");
        Line(md, "  ([producers.md](producers.md#ids-and-redelivery) says what a resent event does).");
        Line(md);
        Line(md, "## Changing an event");
        Line(md);
        Line(md, "A type's contract only grows in backward-compatible ways: a new optional field, a field made");
        Line(md, "optional, a new allowed source, a typed field made free-form. Every earlier version's samples");
        Line(md, "stay under `samples/events/history/v{n}/` and a test checks they still parse and validate.");
        Line(md, "A breaking change (a field removed or renamed, a new required field, a type narrowed) needs a");
        Line(md, "**new detail-type**, e.g. `TicketCommentedV2Event`: add it to the catalog with its record and");
        Line(md, "workflow, regenerate the schemas and this page, add its sample, have producers emit both");
        Line(md, "types for a while, then retire the old one once nothing emits it (its dead-letter queue and");
        Line(md, "`EventType` search attribute show that).");
        Line(md);
        Line(md, "## Types");
        Line(md);
        Line(md, "| detail-type | sources | what the processor does |");
        Line(md, "|---|---|---|");
        foreach (var d in EventCatalog.All)
        {
            Line(md, $"| [{d.DetailType}](#{d.DetailType.ToLowerInvariant()}) | {Sources(d)} | {d.Action} |");
        }

        foreach (var d in EventCatalog.All)
        {
            Line(md);
            Line(md, $"## {d.DetailType}");
            Line(md);
            Line(md, $"Sources: {Sources(d)}. Workflow: `{d.WorkflowType}`, id `{d.ShortName}-{{id}}`. Schema: [`schemas/{EventSchemaGenerator.FileName(d)}`](../schemas/{EventSchemaGenerator.FileName(d)}).");
            Line(md);
            Line(md, d.Behaviour);
            Line(md);
            Line(md, "| field | type | required | meaning |");
            Line(md, "|---|---|---|---|");
            foreach (var f in d.Fields)
            {
                Line(md, $"| `{f.Name}` | {TypeName(f.Type)} | {(f.Required ? "yes" : "no")} | {f.Description.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }

            Line(md);
            Line(md, $"Sample ([`samples/events/{d.DetailType}.json`](../samples/events/{d.DetailType}.json)):");
            Line(md);
            Line(md, "```json");
            Line(md, sampleJson(d.DetailType).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'));
            Line(md, "```");
        }

        return md.ToString();
    }

    /// <summary>How a field type reads in the docs.</summary>
    public static string TypeName(FieldType type) => type switch
    {
        FieldType.String => "string",
        FieldType.Email => "string (email)",
        FieldType.Url => "string (http(s) URL)",
        FieldType.DateTime => "string (date-time)",
        FieldType.Integer => "integer",
        FieldType.Number => "number",
        FieldType.Boolean => "boolean",
        FieldType.Object => "object",
        FieldType.FreeForm => "**free-form**: text or any JSON",
        _ => type.ToString(),
    };

    private static string Sources(EventTypeDefinition d) => string.Join(", ", d.DefaultSources.Select(s => $"`{s}`"));

    private static string FreeFormFields() =>
        string.Join(", ", EventCatalog.All.SelectMany(d => d.Fields.Where(f => f.IsFreeForm).Select(f => $"{d.DetailType} `{f.Name}`")));

    private static string FreeFormLimit() => Payloads.FreeForm.DisplayLimit.ToString("N0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
