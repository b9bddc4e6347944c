using System.Globalization;
using System.Text;
using System.Text.Json;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Envelope;
using EventProcessor.Events.Payloads;
using EventProcessor.Events.Serialization;

namespace EventProcessor.Events.Validation;

/// <summary>
/// Turns raw EventBridge JSON into a <see cref="ParsedEvent"/>, or rejects it with an
/// <see cref="EventValidationException"/> that names the event, the type and every field at fault.
/// The rules are the catalog's (<see cref="EventTypeDefinition.Fields"/>). Unknown extra fields are
/// ignored so producers can add fields without breaking the processor.
/// </summary>
public sealed class EventParser
{
    /// <summary>EventBridge's own limit on an event's size.</summary>
    public const int MaxEventBytes = 256 * 1024;

    private static readonly string[] EnvelopeStringFields = ["version", "detail-type", "source", "account", "region"];

    private readonly Dictionary<string, HashSet<string>> allowedSources;

    public EventParser()
        : this(new EventValidationOptions())
    {
    }

    public EventParser(EventValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        allowedSources = EventCatalog.All.ToDictionary(
            d => d.DetailType,
            d => new HashSet<string>(
                options.AllowedSources.TryGetValue(d.DetailType, out var configured) && configured.Length > 0 ? configured : d.DefaultSources,
                StringComparer.Ordinal),
            StringComparer.Ordinal);
        foreach (var configuredType in options.AllowedSources.Keys.Where(t => !allowedSources.ContainsKey(t)))
        {
            throw new ArgumentException($"Events:AllowedSources names '{configuredType}', which is not a detail-type of the event catalog.", nameof(options));
        }
    }

    /// <summary>The sources allowed for a detail-type under this parser's configuration.</summary>
    public IReadOnlySet<string> AllowedSourcesFor(string detailType) => allowedSources[detailType];

    public ParsedEvent Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    public ParsedEvent Parse(ReadOnlyMemory<byte> utf8Json)
    {
        if (utf8Json.Length > MaxEventBytes)
        {
            throw Reject(null, null, new EventProblem(RejectionCode.PayloadTooLarge, null,
                $"event is {utf8Json.Length} bytes, over the EventBridge limit of {MaxEventBytes} bytes"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw Reject(null, null, new EventProblem(RejectionCode.MalformedJson, null,
                $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"));
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>Validates one event already read as JSON (the intake reads arrays of them).</summary>
    public ParsedEvent Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Reject(null, null, new EventProblem(RejectionCode.MalformedJson, null,
                $"an event must be a JSON object, not {FieldRules.Describe(root.ValueKind)}"));
        }

        var eventId = ReadEnvelopeString(root, "id", null, null);
        var detailType = ReadEnvelopeString(root, "detail-type", eventId, null);
        foreach (var field in EnvelopeStringFields)
        {
            ReadEnvelopeString(root, field, eventId, detailType);
        }

        var source = root.GetProperty("source").GetString()!;
        var time = ReadTime(root, eventId, detailType);
        var resources = ReadResources(root, eventId, detailType);
        if (!root.TryGetProperty("detail", out var detail) || detail.ValueKind == JsonValueKind.Null)
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.MissingEnvelopeField, "detail", "envelope field 'detail' is missing"));
        }

        if (detail.ValueKind != JsonValueKind.Object)
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.InvalidEnvelopeField, "detail",
                $"envelope field 'detail' must be an object, not {FieldRules.Describe(detail.ValueKind)}"));
        }

        if (!EventCatalog.TryGet(detailType, out var definition))
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.UnknownDetailType, "detail-type",
                $"detail-type '{detailType}' is not one the processor handles"));
        }

        var allowed = allowedSources[detailType];
        if (!allowed.Contains(source))
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.SourceNotAllowed, "source",
                $"source '{source}' is not allowed for {detailType} (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})"));
        }

        var problems = new List<EventProblem>();
        foreach (var field in definition.Fields)
        {
            if (!detail.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    problems.Add(new EventProblem(RejectionCode.MissingDetailField, $"detail.{field.Name}",
                        $"required field 'detail.{field.Name}' is missing"));
                }

                continue;
            }

            if (FieldRules.Check(field, value) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw Reject(eventId, detailType, [.. problems]);
        }

        var typed = (IEventDetail?)detail.Deserialize(definition.DetailRecordType, EventJsonContext.Default)
            ?? throw Reject(eventId, detailType, new EventProblem(RejectionCode.MalformedJson, "detail", "detail could not be read"));
        var envelope = new EventEnvelope(
            root.GetProperty("version").GetString()!, eventId, detailType, source, root.GetProperty("account").GetString()!,
            time, root.GetProperty("region").GetString()!, resources, detail.Clone());
        return new ParsedEvent(envelope, definition, typed);
    }

    private static string ReadEnvelopeString(JsonElement root, string name, string? eventId, string? detailType)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.MissingEnvelopeField, name, $"envelope field '{name}' is missing"));
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.InvalidEnvelopeField, name,
                $"envelope field '{name}' must be a string, not {FieldRules.Describe(value.ValueKind)}"));
        }

        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text)
            ? throw Reject(eventId, detailType, new EventProblem(RejectionCode.InvalidEnvelopeField, name, $"envelope field '{name}' must not be empty"))
            : text;
    }

    private static DateTimeOffset ReadTime(JsonElement root, string eventId, string detailType)
    {
        var text = ReadEnvelopeString(root, "time", eventId, detailType);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Reject(eventId, detailType, new EventProblem(RejectionCode.InvalidEnvelopeField, "time",
                $"envelope field 'time' must be an ISO-8601 date-time, not '{text}'"));
    }

    private static string[] ReadResources(JsonElement root, string eventId, string detailType)
    {
        if (!root.TryGetProperty("resources", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.MissingEnvelopeField, "resources", "envelope field 'resources' is missing"));
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            throw Reject(eventId, detailType, new EventProblem(RejectionCode.InvalidEnvelopeField, "resources",
                "envelope field 'resources' must be an array of strings"));
        }

        return [.. value.EnumerateArray().Select(r => r.GetString()!)];
    }

    private static EventValidationException Reject(string? eventId, string? detailType, params EventProblem[] problems) =>
        new(eventId, detailType, problems);
}
