using EventProcessor.Events.Payloads;
using Temporalio.Common;

namespace EventProcessor.Events.Catalog;

/// <summary>
/// The custom search attributes every event workflow carries. They are set at start (free) so
/// support staff can find a run by event, ticket, project or report in Temporal Web UI.
/// </summary>
public static class EventSearchAttributes
{
    public static readonly SearchAttributeKey<string> EventType = SearchAttributeKey.CreateKeyword("EventType");
    public static readonly SearchAttributeKey<string> EventSource = SearchAttributeKey.CreateKeyword("EventSource");
    public static readonly SearchAttributeKey<string> EventId = SearchAttributeKey.CreateKeyword("EventId");
    public static readonly SearchAttributeKey<string> ProjectUuid = SearchAttributeKey.CreateKeyword("ProjectUuid");
    public static readonly SearchAttributeKey<string> TicketKey = SearchAttributeKey.CreateKeyword("TicketKey");
    public static readonly SearchAttributeKey<string> ReportId = SearchAttributeKey.CreateKeyword("ReportId");

    /// <summary>Every key, for registering them on a Temporal namespace.</summary>
    public static IReadOnlyList<SearchAttributeKey> AllKeys { get; } = [EventType, EventSource, EventId, ProjectUuid, TicketKey, ReportId];

    /// <summary>The attributes of one event: the envelope's three, plus those its detail has.</summary>
    public static SearchAttributeCollection For(string detailType, string source, string eventId, IEventDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var builder = new SearchAttributeCollection.Builder()
            .Set(EventType, detailType)
            .Set(EventSource, source)
            .Set(EventId, eventId);
        if (detail is IHasProjectUuid { ProjectUuid: { Length: > 0 } project })
        {
            builder.Set(ProjectUuid, project);
        }

        if (detail is IHasTicketKey { TicketKey: { Length: > 0 } ticket })
        {
            builder.Set(TicketKey, ticket);
        }

        if (detail is IHasReportId { ReportId: { Length: > 0 } report })
        {
            builder.Set(ReportId, report);
        }

        return builder.ToSearchAttributeCollection();
    }
}
