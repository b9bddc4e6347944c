using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Events.Payloads;
using EventProcessor.Events.Serialization;
using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Tests;

public class FreeFormFieldTests
{
    private readonly EventParser parser = new();

    public static TheoryData<string> Values() =>
    [
        "\"All 120 proxies returned 407.\"",
        """{"failingHosts":["eu-1","eu-2"],"rate":0.92,"since":"09:58"}""",
        """[1,"two",{"three":3}]""",
        "407",
        "true",
        "{}",
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void A_crawler_incident_details_of_any_json_kind_is_accepted_and_kept_as_it_came(string details)
    {
        var parsed = parser.Parse(Incident(details));

        var detail = Assert.IsType<CrawlerIncidentDetail>(parsed.Detail);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(details).RootElement, detail.Details!.Value));

        // Through the workflow input's JSON (what Temporal stores) and back, unchanged.
        var roundTrip = JsonSerializer.Deserialize<EventInput<CrawlerIncidentDetail>>(JsonSerializer.Serialize(parsed.CreateWorkflowInput()))!;
        Assert.Equal(detail, roundTrip.Detail);
        Assert.True(JsonElement.DeepEquals(detail.Details.Value, roundTrip.Detail.Details!.Value));
        var sourceGenerated = JsonSerializer.SerializeToElement(detail, EventJsonContext.Default.CrawlerIncidentDetail);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(details).RootElement, sourceGenerated.GetProperty("details")));
    }

    [Fact]
    public void Absent_or_null_details_stay_absent()
    {
        var parsed = parser.Parse(Incident("null"));

        Assert.Null(Assert.IsType<CrawlerIncidentDetail>(parsed.Detail).Details);
    }

    [Fact]
    public void Text_reads_as_written_and_structure_pretty_printed()
    {
        var text = FreeForm.FromText("  Proxy pool exhausted \u00e9 <b>  ");
        var structure = FreeForm.FromJson(JsonDocument.Parse("""{"hosts":["eu-1"],"note":"caf\u00e9 <b>"}""").RootElement)!;

        Assert.Equal("Proxy pool exhausted \u00e9 <b>", text.ToDisplayText());
        Assert.Equal("{\n  \"hosts\": [\n    \"eu-1\"\n  ],\n  \"note\": \"caf\u00e9 <b>\"\n}", structure.ToDisplayText().ReplaceLineEndings("\n"));
        Assert.True(text.IsText);
        Assert.False(structure.IsText);
    }

    [Fact]
    public void What_people_see_is_bounded_and_says_how_much_was_left_out()
    {
        var big = new JsonObject();
        for (var i = 0; i < 2000; i++)
        {
            big[$"host-{i}"] = "proxy authentication required";
        }

        var shown = FreeForm.FromJson(JsonSerializer.SerializeToElement(big))!.ToDisplayText();
        var full = big.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Assert.StartsWith(full[..FreeForm.DisplayLimit].ReplaceLineEndings("\n")[..100], shown.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(shown.Length < FreeForm.DisplayLimit + 100, $"{shown.Length} characters shown");
        Assert.EndsWith($"… ({full.ReplaceLineEndings("\n").Length - FreeForm.DisplayLimit} more characters not shown)", shown, StringComparison.Ordinal);
        Assert.Equal("abc", FreeForm.FromText("abc").ToDisplayText(3));
    }

    [Theory]
    [InlineData("\"   \"", true)]
    [InlineData("{}", true)]
    [InlineData("[]", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("\"x\"", false)]
    public void Empty_means_nothing_to_show(string json, bool empty)
    {
        Assert.Equal(empty, FreeForm.FromJson(JsonDocument.Parse(json).RootElement)!.IsEmpty);
    }

    [Fact]
    public void Required_fields_keep_their_strict_types()
    {
        var error = Assert.Throws<EventValidationException>(() => parser.Parse(Incident("\"x\"", summary: """{"text":"a"}""")));

        Assert.Equal(RejectionCode.WrongFieldType, error.Code);
        Assert.Equal("detail.summary", Assert.Single(error.Problems).Field);
    }

    private static string Incident(string details, string summary = "\"Proxy pool eu-west exhausted\"") => $$$"""
        {"version":"0","id":"e-ff","detail-type":"CrawlerIncidentEvent","source":"vortex-backend","account":"1",
         "time":"2026-11-20T10:00:00Z","region":"us-east-1","resources":[],
         "detail":{"incidentId":"inc-1","severity":"critical","summary":{{{summary}}},"details":{{{details}}}}}
        """;
}
