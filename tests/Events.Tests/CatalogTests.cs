using EventProcessor.Events.Catalog;
using EventProcessor.Events.Payloads;
using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Tests;

public class CatalogTests
{
    // The 29 detail-types of the product specification with the sources it names, copied here on
    // purpose: the catalog must not be its own oracle.
    private static readonly Dictionary<string, string[]> Specified = new(StringComparer.Ordinal)
    {
        ["TicketCommentedEvent"] = ["phoenix-webhooks"],
        ["ContactMessageRepliedEvent"] = ["phoenix-webhooks"],
        ["ReportUpdatedEvent"] = ["phoenix-webhooks"],
        ["ReportSchemaGeneratedEvent"] = ["phoenix-webhooks"],
        ["TicketUpdatedEvent"] = ["support-service"],
        ["ReportRunStoppedEvent"] = ["phoenix-projects-service"],
        ["ProjectUpdatedEvent"] = ["phoenix-projects-service"],
        ["TicketTransitionedEvent"] = ["support-service"],
        ["TicketCreatedEvent"] = ["support-service"],
        ["MeetingScheduledEvent"] = ["phoenix-webhooks"],
        ["CrawlerSummaryCalculatedEvent"] = ["eq-processor"],
        ["ProjectCreatedEvent"] = ["phoenix-projects-service"],
        ["UserProjectAddedEvent"] = ["phoenix-account-service"],
        ["MetadataUpdatedEvent"] = ["phoenix-projects-service"],
        ["ReportRunFailedEvent"] = ["phoenix-flink-crawler-events"],
        ["CrawlerIncidentEvent"] = ["vortex-backend"],
        ["ContactFormSubmittedEvent"] = ["phoenix-webhooks"],
        ["HistoryStatsAddedEvent"] = ["vortex-backend"],
        ["ReportCreatedEvent"] = ["phoenix-webhooks", "phoenix-api"],
        ["ReportCanceledEvent"] = ["phoenix-projects-service"],
        ["UserCreatedEvent"] = ["phoenix-account-service"],
        ["LoginEmailDeliveredEvent"] = ["phoenix-account-service"],
        ["DataDeliveryFailedEvent"] = ["phoenix-projects-service"],
        ["CrawlerRunStartedEvent"] = ["vortex-backend"],
        ["ReportDeliveryInitiatedEvent"] = ["phoenix-projects-service"],
        ["UserTeamInvitedEvent"] = ["phoenix-account-service"],
        ["CustomerProjectTransferredEvent"] = ["phoenix-projects-service"],
        ["PasswordResetRequestedEvent"] = ["phoenix-account-service"],
        ["InactiveUserDetectedEvent"] = ["vortex-backend"],
    };

    [Fact]
    public void The_catalog_covers_exactly_the_29_specified_types_with_their_sources()
    {
        Assert.Equal(29, EventCatalog.All.Count);
        Assert.Equal(Specified.Keys.Order(StringComparer.Ordinal), EventCatalog.All.Select(d => d.DetailType).Order(StringComparer.Ordinal));
        foreach (var definition in EventCatalog.All)
        {
            Assert.Equal(Specified[definition.DetailType].Order(StringComparer.Ordinal), definition.DefaultSources.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Every_type_has_a_distinct_workflow_type_and_detail_record()
    {
        Assert.All(EventCatalog.All, d => Assert.Equal($"{d.DetailType}Workflow", d.WorkflowType));
        Assert.Equal(29, EventCatalog.All.Select(d => d.WorkflowType).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(29, EventCatalog.All.Select(d => d.DetailRecordType).Distinct().Count());
        Assert.All(EventCatalog.All, d => Assert.True(EventCatalog.TryGetByWorkflowType(d.WorkflowType, out var back) && back == d));
    }

    [Fact]
    public void Details_with_project_ticket_or_report_fields_expose_them_for_search_attributes()
    {
        foreach (var definition in EventCatalog.All)
        {
            var properties = definition.DetailRecordType.GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(properties.Contains("ProjectUuid"), typeof(IHasProjectUuid).IsAssignableFrom(definition.DetailRecordType));
            Assert.Equal(properties.Contains("TicketKey"), typeof(IHasTicketKey).IsAssignableFrom(definition.DetailRecordType));
            Assert.Equal(properties.Contains("ReportId"), typeof(IHasReportId).IsAssignableFrom(definition.DetailRecordType));
        }
    }

    [Fact]
    public void Search_attribute_keys_are_the_six_keyword_attributes()
    {
        Assert.Equal(["EventType", "EventSource", "EventId", "ProjectUuid", "TicketKey", "ReportId"], EventSearchAttributes.AllKeys.Select(k => k.Name));
        Assert.All(EventSearchAttributes.AllKeys, k => Assert.Equal(Temporalio.Api.Enums.V1.IndexedValueType.Keyword, k.ValueType));
    }

    [Fact]
    public void Workflow_ids_are_deterministic_per_event_and_distinct_across_events()
    {
        var parser = new EventParser();
        var json = Event("11111111-aaaa-4bbb-8ccc-000000000001");

        var first = parser.Parse(json).WorkflowId;
        var again = parser.Parse(json).WorkflowId;
        var other = parser.Parse(Event("11111111-aaaa-4bbb-8ccc-000000000002")).WorkflowId;

        Assert.Equal("TicketCommented-11111111-aaaa-4bbb-8ccc-000000000001", first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Workflow_ids_differ_across_types_for_the_same_event_id()
    {
        var ids = EventCatalog.All.Select(d => d.WorkflowId("same-id")).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Unknown_extra_fields_are_ignored()
    {
        const string json = """
            {"version":"0","id":"e-1","detail-type":"TicketCommentedEvent","source":"phoenix-webhooks","account":"1",
             "time":"2026-11-20T10:00:00Z","region":"us-east-1","resources":[],"replay-name":"r1",
             "detail":{"ticketKey":"SUP-1","commentId":"5","addedLater":{"nested":[1,2]}}}
            """;

        var parsed = new EventParser().Parse(json);

        Assert.Equal(new TicketCommentedDetail("SUP-1", "5"), parsed.Detail);
    }

    [Fact]
    public void Optional_fields_may_be_absent_or_null()
    {
        const string json = """
            {"version":"0","id":"e-2","detail-type":"ReportUpdatedEvent","source":"phoenix-webhooks","account":"1",
             "time":"2026-11-20T10:00:00Z","region":"us-east-1","resources":[],"detail":{"reportId":"r-1","projectUuid":null}}
            """;

        var parsed = new EventParser().Parse(json);

        Assert.Equal(new ReportUpdatedDetail("r-1", null), parsed.Detail);
        Assert.False(parsed.SearchAttributes.ContainsKey(EventSearchAttributes.ProjectUuid));
    }

    [Fact]
    public void Configured_sources_replace_the_defaults_for_that_type_only()
    {
        var options = new EventValidationOptions { AllowedSources = { ["TicketCommentedEvent"] = ["phoenix-webhooks-v2"] } };
        var parser = new EventParser(options);

        var error = Assert.Throws<EventValidationException>(() => parser.Parse(Event("e-3")));
        Assert.Equal(RejectionCode.SourceNotAllowed, error.Code);
        Assert.Equal("phoenix-webhooks-v2", Assert.Single(parser.AllowedSourcesFor("TicketCommentedEvent")));
        Assert.Equal(["phoenix-webhooks", "phoenix-api"], parser.AllowedSourcesFor("ReportCreatedEvent").Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public void Configuring_sources_for_an_unknown_type_is_refused_by_name()
    {
        var options = new EventValidationOptions { AllowedSources = { ["TicketDeletedEvent"] = ["x"] } };

        var error = Assert.Throws<ArgumentException>(() => new EventParser(options));

        Assert.Contains("TicketDeletedEvent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_reset_url_never_appears_in_the_record_text()
    {
        var detail = new PasswordResetRequestedDetail("u-1", "a@b.com", "https://app/reset?token=secret-123", DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("secret-123", detail.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-123", new EventInput<PasswordResetRequestedDetail>("e", "s", DateTimeOffset.UnixEpoch, detail).ToString(), StringComparison.Ordinal);
    }

    private static string Event(string id) => $$$"""
        {"version":"0","id":"{{{id}}}","detail-type":"TicketCommentedEvent","source":"phoenix-webhooks","account":"1",
         "time":"2026-11-20T10:00:00Z","region":"us-east-1","resources":[],"detail":{"ticketKey":"SUP-9"}}
        """;
}
