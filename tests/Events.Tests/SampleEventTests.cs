using System.Text.Json;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Payloads;
using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Tests;

public class SampleEventTests
{
    private readonly EventParser parser = new();

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.SampleEvents, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void There_is_exactly_one_sample_per_catalog_type()
    {
        var names = Directory.GetFiles(RepositoryPaths.SampleEvents, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(EventCatalog.All.Select(d => d.DetailType).Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_parses_into_its_typed_record(string fileName)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.SampleEvents, fileName));

        var parsed = parser.Parse(json);

        var detailType = Path.GetFileNameWithoutExtension(fileName);
        Assert.Equal(detailType, parsed.Envelope.DetailType);
        Assert.Same(EventCatalog.Get(detailType), parsed.Definition);
        Assert.IsType(parsed.Definition.DetailRecordType, parsed.Detail);
        Assert.Equal($"{detailType}Workflow", parsed.WorkflowType);

        // Every field the sample carries reaches the typed record with its value.
        using var document = JsonDocument.Parse(json);
        var roundTrip = JsonSerializer.SerializeToElement(parsed.Detail, parsed.Definition.DetailRecordType, Serialization.EventJsonContext.Default);
        foreach (var field in document.RootElement.GetProperty("detail").EnumerateObject())
        {
            Assert.True(roundTrip.TryGetProperty(field.Name, out var value), $"{fileName}: detail.{field.Name} was dropped");
            Assert.True(SameValue(field.Value, value), $"{fileName}: detail.{field.Name} is {value} after parsing, not {field.Value}");
        }
    }

    // The samples are the catalog's examples (docs/events.md shows them): each shows every field of
    // its type and nothing the catalog does not name, from a source the catalog allows.
    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_carries_exactly_the_catalog_fields_of_its_type_from_an_allowed_source(string fileName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.SampleEvents, fileName)));
        var definition = EventCatalog.Get(Path.GetFileNameWithoutExtension(fileName));

        Assert.Equal(definition.Fields.Select(f => f.Name), document.RootElement.GetProperty("detail").EnumerateObject().Select(p => p.Name));
        Assert.Contains(document.RootElement.GetProperty("source").GetString(), definition.DefaultSources);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_gets_the_search_attributes_its_payload_has(string fileName)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.SampleEvents, fileName));
        using var document = JsonDocument.Parse(json);
        var detail = document.RootElement.GetProperty("detail");

        var attributes = parser.Parse(json).SearchAttributes;

        Assert.Equal(document.RootElement.GetProperty("detail-type").GetString(), attributes.Get(EventSearchAttributes.EventType));
        Assert.Equal(document.RootElement.GetProperty("source").GetString(), attributes.Get(EventSearchAttributes.EventSource));
        Assert.Equal(document.RootElement.GetProperty("id").GetString(), attributes.Get(EventSearchAttributes.EventId));
        AssertOptional(attributes, EventSearchAttributes.ProjectUuid, detail, "projectUuid");
        AssertOptional(attributes, EventSearchAttributes.TicketKey, detail, "ticketKey");
        AssertOptional(attributes, EventSearchAttributes.ReportId, detail, "reportId");
    }

    [Fact]
    public void Workflow_input_carries_the_envelope_facts_and_the_typed_detail()
    {
        var parsed = parser.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.SampleEvents, "TicketCommentedEvent.json")));

        var input = Assert.IsType<EventInput<TicketCommentedDetail>>(parsed.CreateWorkflowInput());

        Assert.Equal(parsed.Envelope.Id, input.EventId);
        Assert.Equal("phoenix-webhooks", input.Source);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T10:15:00Z", System.Globalization.CultureInfo.InvariantCulture), input.Time);
        Assert.Equal(new TicketCommentedDetail("SUP-1234", "10042"), input.Detail);
        Assert.Equal(typeof(EventInput<TicketCommentedDetail>), parsed.Definition.InputType);
    }

    [Fact]
    public void Summary_names_the_type_the_business_key_and_the_action()
    {
        var parsed = parser.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.SampleEvents, "TicketCommentedEvent.json")));

        Assert.Equal("TicketCommented SUP-1234: notify watchers", parsed.Summary);
        Assert.Contains(parsed.Envelope.Id, parsed.Details, StringComparison.Ordinal);
    }

    private static void AssertOptional(Temporalio.Common.SearchAttributeCollection attributes, Temporalio.Common.SearchAttributeKey<string> key, JsonElement detail, string field)
    {
        if (detail.TryGetProperty(field, out var value))
        {
            Assert.Equal(value.GetString(), attributes.Get(key));
        }
        else
        {
            Assert.False(attributes.ContainsKey(key), $"{key.Name} set without detail.{field}");
        }
    }

    // Dates may be re-rendered with another offset notation; everything else must be equal as JSON.
    private static bool SameValue(JsonElement expected, JsonElement actual) =>
        expected.ValueKind == JsonValueKind.String && actual.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(expected.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expectedTime)
            && expected.GetString()!.Contains('T', StringComparison.Ordinal)
            ? DateTimeOffset.TryParse(actual.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var actualTime) && actualTime == expectedTime
            : JsonElement.DeepEquals(expected, actual);
}
