using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Tests;

/// <summary>The published schemas and the parser agree: on every sample, every invalid sample, and on generated variations of each type.</summary>
public class SchemaAgreementTests
{
    // Invalid samples no JSON Schema can reject, and why.
    private static readonly Dictionary<string, string> Inexpressible = new(StringComparer.Ordinal)
    {
        ["malformed-json.json"] = "it is not JSON: a schema validates JSON documents, so there is nothing to apply it to",
        ["too-large.json"] = "draft-04 has no keyword for a document's size in bytes (maxLength counts the characters of one string); EventBridge's 256 KB limit is enforced by PutEvents and the parser",
    };

    private readonly EventParser parser = new();

    public static TheoryData<string> Samples() =>
        [.. Directory.GetFiles(RepositoryPaths.SampleEvents, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> InvalidSamples() =>
        [.. Directory.GetFiles(RepositoryPaths.InvalidSampleEvents, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> DetailTypes() => [.. EventCatalog.All.Select(d => d.DetailType)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_validates_against_its_schema_only(string fileName)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.SampleEvents, fileName));
        var detailType = Path.GetFileNameWithoutExtension(fileName);

        Assert.Empty(PublishedSchemas.Errors(detailType, json));
        Assert.Equal([detailType], PublishedSchemas.TypesAccepting(json));
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public void Every_invalid_sample_the_parser_rejects_is_rejected_by_the_schema_too(string fileName)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.InvalidSampleEvents, fileName));
        Assert.Throws<EventValidationException>(() => parser.Parse(json));
        if (Inexpressible.ContainsKey(fileName))
        {
            return;
        }

        // An event whose detail-type names a schema is judged by that schema; one without a known
        // detail-type (missing, unknown, or not an object at all) must match no schema.
        var root = JsonNode.Parse(json);
        var detailType = root is JsonObject o && o["detail-type"] is JsonValue v && v.TryGetValue<string>(out var t) && EventCatalog.TryGet(t, out _) ? t : null;
        if (detailType is not null)
        {
            Assert.NotEmpty(PublishedSchemas.Errors(detailType, json));
        }
        else
        {
            Assert.Empty(PublishedSchemas.TypesAccepting(json));
        }
    }

    [Fact]
    public void Only_the_named_invalid_samples_are_beyond_a_schema()
    {
        var files = Directory.GetFiles(RepositoryPaths.InvalidSampleEvents, "*.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.All(Inexpressible.Keys, k => Assert.Contains(k, files));
        Assert.All(Inexpressible.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    [Theory]
    [MemberData(nameof(DetailTypes))]
    public void Parser_and_schema_give_the_same_verdict_on_variations_of_each_field(string detailType)
    {
        var definition = EventCatalog.Get(detailType);
        var disagreements = new List<string>();
        foreach (var (what, json) in Variations(definition))
        {
            var parserAccepts = ParserAccepts(json);
            var schemaErrors = PublishedSchemas.Errors(detailType, json);
            if (parserAccepts != (schemaErrors.Count == 0))
            {
                disagreements.Add($"{what}: parser {(parserAccepts ? "accepts" : "rejects")}, schema {(schemaErrors.Count == 0 ? "accepts" : "rejects: " + string.Join(", ", schemaErrors))}");
            }
        }

        Assert.Empty(disagreements);
    }

    // Each variation changes one thing of the type's sample, the way producers get it wrong (or right).
    private static IEnumerable<(string What, string Json)> Variations(EventTypeDefinition definition)
    {
        yield return ("an unknown extra detail field", Change(definition, d => d["addedLater"] = new JsonObject { ["nested"] = new JsonArray(1, 2) }));
        yield return ("an unknown extra envelope field", Change(definition, d => d.Parent!.AsObject()["replay-name"] = "r1"));
        yield return ("a source not allowed", ChangeEnvelope(definition, e => e["source"] = "someone-else"));
        foreach (var field in definition.Fields)
        {
            var name = field.Name;
            yield return ($"{name} missing", Change(definition, d => d.Remove(name)));
            yield return ($"{name} null", Change(definition, d => d[name] = null));

            foreach (var (what, value) in ValuesFor(field))
            {
                yield return ($"{name} {what}", Change(definition, d => d[name] = value?.DeepClone()));
            }
        }
    }

    private static IEnumerable<(string What, JsonNode? Value)> ValuesFor(EventField field)
    {
        switch (field.Type)
        {
            case FieldType.FreeForm:
                yield return ("as text", "Proxy pool exhausted");
                yield return ("as an object", new JsonObject { ["failingHosts"] = new JsonArray("a", "b"), ["rate"] = 0.92 });
                yield return ("as an array", new JsonArray(1, "two", new JsonObject()));
                yield return ("as a number", 407);
                yield return ("as a boolean", true);
                break;
            case FieldType.Object:
                yield return ("as an array", new JsonArray(1, 2));
                yield return ("as text", "runs=31");
                yield return ("as an empty object", new JsonObject());
                break;
            case FieldType.Integer:
                yield return ("as text", "many");
                yield return ("with a fraction", 1.5);
                yield return ("as an integer", 42);
                break;
            case FieldType.Number:
                yield return ("as text", "fast");
                yield return ("with a fraction", 1.5);
                break;
            case FieldType.Boolean:
                yield return ("as text", "yes");
                yield return ("as true", true);
                break;
            default:
                yield return ("as a number", 42);
                yield return ("as an object", new JsonObject { ["value"] = "x" });
                yield return ("blank", "  ");
                yield return ("empty", string.Empty);
                break;
        }

        switch (field.Type)
        {
            case FieldType.Email:
                yield return ("without an @", "not-an-email");
                yield return ("with a space", "a b@c.com");
                yield return ("as an address", "ops@example.com");
                break;
            case FieldType.Url:
                yield return ("relative", "/relative/only");
                yield return ("of another scheme", "ftp://files.example.com/x");
                yield return ("as an https URL", "https://app.example.com/x?y=1");
                break;
            case FieldType.DateTime:
                yield return ("in words", "next tuesday");
                yield return ("in RFC 3339 with an offset", "2026-11-20T10:15:00+01:00");
                yield return ("with fractions of a second", "2026-11-20T10:15:00.123Z");
                break;
            case FieldType.String:
                yield return ("as other text", "something else");
                break;
        }
    }

    private static string Change(EventTypeDefinition definition, Action<JsonObject> changeDetail)
    {
        var root = JsonNode.Parse(RepositoryPaths.Sample(definition.DetailType))!.AsObject();
        changeDetail(root["detail"]!.AsObject());
        return root.ToJsonString();
    }

    private static string ChangeEnvelope(EventTypeDefinition definition, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(RepositoryPaths.Sample(definition.DetailType))!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    private bool ParserAccepts(string json)
    {
        try
        {
            parser.Parse(json);
            return true;
        }
        catch (EventValidationException)
        {
            return false;
        }
    }
}
