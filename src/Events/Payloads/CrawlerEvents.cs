using System.Text.Json;

namespace EventProcessor.Events.Payloads;

/// <summary><c>CrawlerSummaryCalculatedEvent</c>: totals of one crawler run.</summary>
public sealed record CrawlerSummaryCalculatedDetail(
    string ProjectUuid,
    string ReportId,
    string RunId,
    long? RowCount,
    long? ErrorCount,
    double? DurationSeconds) : IHasReportId, IHasProjectUuid;

/// <summary><c>CrawlerRunStartedEvent</c>.</summary>
public sealed record CrawlerRunStartedDetail(string ReportId, string RunId, string ProjectUuid) : IHasReportId, IHasProjectUuid;

/// <summary><c>CrawlerIncidentEvent</c>: the crawler platform raised an incident. <see cref="Details"/> is free-form.</summary>
public sealed record CrawlerIncidentDetail(
    string IncidentId,
    string Severity,
    string Summary,
    string? ProjectUuid,
    string? ReportId,
    FreeForm? Details) : IHasReportId, IHasProjectUuid;

/// <summary><c>HistoryStatsAddedEvent</c>: <see cref="Stats"/> is an object of the stats service's own shape.</summary>
public sealed record HistoryStatsAddedDetail(string ProjectUuid, string ReportId, JsonElement Stats) : IHasReportId, IHasProjectUuid;
