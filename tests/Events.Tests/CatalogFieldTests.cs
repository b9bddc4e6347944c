using System.Reflection;
using System.Text.Json;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Payloads;

namespace EventProcessor.Events.Tests;

/// <summary>The catalog's field lists and the typed detail records describe the same payloads.</summary>
public class CatalogFieldTests
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static TheoryData<string> DetailTypes() => [.. EventCatalog.All.Select(d => d.DetailType)];

    [Theory]
    [MemberData(nameof(DetailTypes))]
    public void The_record_has_exactly_the_catalog_fields_in_order_with_matching_types_and_nullability(string detailType)
    {
        var definition = EventCatalog.Get(detailType);
        var parameters = definition.DetailRecordType.GetConstructors().Single().GetParameters();

        Assert.Equal(definition.Fields.Select(f => f.Name), parameters.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)));
        foreach (var (field, parameter) in definition.Fields.Zip(parameters))
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            var nullable = Nullable.GetUnderlyingType(parameter.ParameterType) is not null || Nullability.Create(parameter).ReadState == NullabilityState.Nullable;
            Assert.True(field.Required != nullable, $"{detailType}.{field.Name}: required {field.Required} but the record's {parameter.ParameterType.Name} is {(nullable ? "nullable" : "not nullable")}");
            Assert.True(Fits(field.Type, type), $"{detailType}.{field.Name}: {field.Type} does not fit the record's {type.Name}");
        }
    }

    [Fact]
    public void Every_field_is_described_and_named_once()
    {
        foreach (var definition in EventCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(definition.Behaviour), definition.DetailType);
            Assert.Equal(definition.Fields.Count, definition.Fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
            Assert.All(definition.Fields, f => Assert.True(f.Description.Length > 10, $"{definition.DetailType}.{f.Name} has no real description"));
        }
    }

    [Fact]
    public void The_free_form_fields_are_the_optional_descriptions_and_stats_stays_an_object()
    {
        var freeForm = EventCatalog.All.SelectMany(d => d.Fields.Where(f => f.IsFreeForm).Select(f => $"{d.DetailType}.{f.Name}"));

        Assert.Equal(
            ["MeetingScheduledEvent.notes", "ReportRunFailedEvent.reason", "CrawlerIncidentEvent.details", "DataDeliveryFailedEvent.error"],
            freeForm);
        Assert.All(EventCatalog.All.SelectMany(d => d.Fields.Where(f => f.IsFreeForm)), f => Assert.False(f.Required));
        Assert.Equal(FieldType.Object, EventCatalog.Get("HistoryStatsAddedEvent").Fields.Single(f => f.Name == "stats").Type);
    }

    private static bool Fits(FieldType field, Type type) => field switch
    {
        FieldType.String or FieldType.Email or FieldType.Url => type == typeof(string),
        FieldType.DateTime => type == typeof(DateTimeOffset),
        FieldType.Integer => type == typeof(long) || type == typeof(int),
        FieldType.Number => type == typeof(double) || type == typeof(decimal),
        FieldType.Boolean => type == typeof(bool),
        FieldType.Object => type == typeof(JsonElement),
        FieldType.FreeForm => type == typeof(FreeForm),
        _ => false,
    };
}
