using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Crawler;
using EventProcessor.Workflows.Delivery;
using EventProcessor.Workflows.Reports;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Support;

/// <summary>
/// Free-form fields (docs/events.md) given JSON structure instead of text: the event is accepted by
/// the trigger's parser, runs through the real worker, and what people read (the mail, the Jira
/// ticket) shows the structure pretty-printed: in a <c>codeBlock</c> of the ticket's ADF
/// description, and as indented lines in the mail.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class FreeFormFieldsEndToEndTests(TemporalServerFixture temporal)
{
    [Fact]
    public async Task A_crawler_incident_whose_details_is_an_object_pages_on_call_and_opens_a_readable_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("CrawlerIncidentEvent", d => d["details"] = new JsonObject
        {
            ["failingHosts"] = new JsonArray("eu-1.proxy", "eu-2.proxy"),
            ["status"] = 407,
            ["since"] = "2026-11-20T09:58:00Z",
        });
        const string Pretty = """
            {
              "failingHosts": [
                "eu-1.proxy",
                "eu-2.proxy"
              ],
              "status": 407,
              "since": "2026-11-20T09:58:00Z"
            }
            """;

        var result = await harness.RunAsync<CrawlerIncidentResult>(parsed);

        Assert.Equal(("INC-1", true, true), (result.Ticket.Key, result.OnCallMailed, result.TicketInMail));
        var description = Assert.Single(harness.Downstream.Jira.CreatedIssues()).Fields!["description"]!;
        Assert.Contains("Details:", PlainText(description), StringComparison.Ordinal);
        Assert.Equal(Pretty, CodeBlock(description));

        var page = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Contains(Pretty, Normalized(page.Text), StringComparison.Ordinal);
        Assert.Contains("<pre", page.Html, StringComparison.Ordinal);
        Assert.Contains("failingHosts", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_failure_whose_error_is_an_array_is_ticketed_mailed_and_pushed_readably()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("DataDeliveryFailedEvent", d => d["error"] = new JsonArray(
            new JsonObject { ["code"] = "AccessDenied", ["key"] = "prices/2026-11-20.csv" },
            "retry budget exhausted"));
        const string Pretty = """
            [
              {
                "code": "AccessDenied",
                "key": "prices/2026-11-20.csv"
              },
              "retry budget exhausted"
            ]
            """;

        await harness.RunAsync<DataDeliveryFailedResult>(parsed);

        var description = Assert.Single(harness.Downstream.Jira.CreatedIssues()).Fields!["description"]!;
        Assert.Contains("Error:", PlainText(description), StringComparison.Ordinal);
        Assert.Equal(Pretty, CodeBlock(description));
        Assert.NotEmpty(harness.Downstream.Smtp.Messages);
        Assert.All(harness.Downstream.Smtp.Messages, m => Assert.Contains("Error: " + Pretty, Normalized(m.Text), StringComparison.Ordinal));
        Assert.All(harness.Downstream.Smtp.Messages, m => Assert.Contains("white-space:pre-wrap", m.Html, StringComparison.Ordinal));
        Assert.Equal(Pretty, Normalized((string?)Assert.Single(harness.Downstream.Pusher.Events).Payload!["error"]));
    }

    [Fact]
    public async Task A_run_failure_whose_reason_is_an_object_is_mailed_and_pushed_readably()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ReportRunFailedEvent", d => d["reason"] = new JsonObject { ["httpStatus"] = 403, ["share"] = 0.92 });
        const string Pretty = """
            {
              "httpStatus": 403,
              "share": 0.92
            }
            """;

        await harness.RunAsync<ReportRunFailedResult>(parsed);

        Assert.NotEmpty(harness.Downstream.Smtp.Messages);
        Assert.All(harness.Downstream.Smtp.Messages, m => Assert.Contains("Reason: " + Pretty, Normalized(m.Text), StringComparison.Ordinal));
        Assert.Equal(Pretty, Normalized((string?)Assert.Single(harness.Downstream.Pusher.Events).Payload!["reason"]));
    }

    [Fact]
    public async Task A_meeting_whose_notes_are_an_array_gets_them_in_a_code_block_of_its_lead_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load("MeetingScheduledEvent", d => d["notes"] = new JsonArray("40k SKUs", "daily"));

        await harness.RunAsync<Activities.Jira.JiraIssueResult>(parsed);

        var description = Assert.Single(harness.Downstream.Jira.CreatedIssues()).Fields!["description"]!;
        Assert.Contains("Notes:", PlainText(description), StringComparison.Ordinal);
        Assert.Equal("[\n  \"40k SKUs\",\n  \"daily\"\n]", CodeBlock(description));
    }

    private static string Normalized(string? text) => (text ?? string.Empty).ReplaceLineEndings("\n");

    // The one codeBlock of an ADF document, as its text.
    private static string CodeBlock(JsonNode document)
    {
        var block = Assert.Single(document["content"]!.AsArray(), n => (string?)n!["type"] == "codeBlock")!;
        return (string)Assert.Single(block["content"]!.AsArray())!["text"]!;
    }

    private static string PlainText(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "text" => (string?)o["text"] ?? string.Empty,
        JsonObject o => string.Concat((o["content"]?.AsArray() ?? []).Select(PlainText)),
        _ => string.Empty,
    };
}
