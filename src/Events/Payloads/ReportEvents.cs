namespace EventProcessor.Events.Payloads;

/// <summary><c>ReportUpdatedEvent</c>.</summary>
public sealed record ReportUpdatedDetail(string ReportId, string? ProjectUuid) : IHasReportId, IHasProjectUuid;

/// <summary><c>ReportCreatedEvent</c>.</summary>
public sealed record ReportCreatedDetail(string ReportId, string? ProjectUuid) : IHasReportId, IHasProjectUuid;

/// <summary><c>ReportSchemaGeneratedEvent</c>.</summary>
public sealed record ReportSchemaGeneratedDetail(string ReportId, string? SchemaId) : IHasReportId;

/// <summary><c>ReportCanceledEvent</c>.</summary>
public sealed record ReportCanceledDetail(string ReportId, string ProjectUuid) : IHasReportId, IHasProjectUuid;

/// <summary><c>ReportRunStoppedEvent</c>.</summary>
public sealed record ReportRunStoppedDetail(string ReportId, string RunId, string ProjectUuid) : IHasReportId, IHasProjectUuid;

/// <summary><c>ReportRunFailedEvent</c>.</summary>
public sealed record ReportRunFailedDetail(string ReportId, string RunId, string ProjectUuid, FreeForm? Reason)
    : IHasReportId, IHasProjectUuid;

/// <summary><c>ReportDeliveryInitiatedEvent</c>.</summary>
public sealed record ReportDeliveryInitiatedDetail(string ReportId, string RunId, string ProjectUuid, string? Destination)
    : IHasReportId, IHasProjectUuid;

/// <summary><c>DataDeliveryFailedEvent</c>.</summary>
public sealed record DataDeliveryFailedDetail(
    string ReportId,
    string RunId,
    string ProjectUuid,
    string Destination,
    FreeForm? Error) : IHasReportId, IHasProjectUuid;
