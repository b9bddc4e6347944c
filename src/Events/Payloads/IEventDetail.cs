namespace EventProcessor.Events.Payloads;

/// <summary>Marker for the typed <c>detail</c> record of one event type.</summary>
#pragma warning disable CA1040 // A marker keeps the catalog's generic constraints honest.
public interface IEventDetail;
#pragma warning restore CA1040

/// <summary>Details that name a Jira ticket; the ticket key becomes the <c>TicketKey</c> search attribute.</summary>
public interface IHasTicketKey : IEventDetail
{
    string TicketKey { get; }
}

/// <summary>Details that may name a platform project; becomes the <c>ProjectUuid</c> search attribute.</summary>
public interface IHasProjectUuid : IEventDetail
{
    string? ProjectUuid { get; }
}

/// <summary>Details that may name a report; becomes the <c>ReportId</c> search attribute.</summary>
public interface IHasReportId : IEventDetail
{
    string? ReportId { get; }
}
