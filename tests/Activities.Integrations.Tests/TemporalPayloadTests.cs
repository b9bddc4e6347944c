using System.Text.Json;
using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Push;
using Temporalio.Converters;

namespace EventProcessor.Activities.Integrations.Tests;

/// <summary>Activity inputs cross Temporal's payload converter between workflow and worker; their JSON must come out unchanged.</summary>
public sealed class TemporalPayloadTests
{
    private static readonly IPayloadConverter Converter = DataConverter.Default.PayloadConverter;

    [Fact]
    public void Algolia_attributes_keep_their_camel_case_json()
    {
        var attributes = AlgoliaAttributes.From(new { reports = new[] { new { id = "r-1", lastRunAt = (DateTimeOffset?)null } }, status = "active" });

        var received = Converter.ToValue<IReadOnlyDictionary<string, JsonElement>>(Converter.ToPayload(attributes));

        Assert.Equal("""[{"id":"r-1","lastRunAt":null}]""", received["reports"].GetRawText());
        Assert.Equal("\"active\"", received["status"].GetRawText());
    }

    [Fact]
    public void A_push_message_keeps_its_data()
    {
        var message = PushMessage.ForProject("p-1", "report-stop-progress", new { runId = "run-9", percent = 100, seq = 3 });

        var received = Converter.ToValue<PushMessage>(Converter.ToPayload(message));

        Assert.Equal("project-p-1", received.Channel);
        Assert.Equal("report-stop-progress", received.EventName);
        Assert.Equal("""{"runId":"run-9","percent":100,"seq":3}""", received.Data.GetRawText());
    }

    [Fact]
    public void A_ticket_upsert_keeps_its_properties()
    {
        var ticket = new HubSpotTicketUpsert("SUP-1", "Subject", "Open", new Dictionary<string, string> { ["hs_ticket_priority"] = "HIGH" });

        var received = Converter.ToValue<HubSpotTicketUpsert>(Converter.ToPayload(ticket));

        Assert.Equal(ticket with { Properties = received.Properties }, received);
        Assert.Equal("HIGH", received.Properties!["hs_ticket_priority"]);
    }
}
