namespace EventProcessor.Workflows.Catalog.Tests;

/// <summary>The nineteen types whose behaviour the product chose (the catalog's second group, docs/events.md), whose histories this project keeps.</summary>
public static class CatalogWorkflows
{
    public static readonly string[] Types =
    [
        "CrawlerSummaryCalculatedEventWorkflow", "ProjectCreatedEventWorkflow", "UserProjectAddedEventWorkflow",
        "MetadataUpdatedEventWorkflow", "ReportRunFailedEventWorkflow", "CrawlerIncidentEventWorkflow",
        "ContactFormSubmittedEventWorkflow", "HistoryStatsAddedEventWorkflow", "ReportCreatedEventWorkflow",
        "ReportCanceledEventWorkflow", "UserCreatedEventWorkflow", "LoginEmailDeliveredEventWorkflow",
        "DataDeliveryFailedEventWorkflow", "CrawlerRunStartedEventWorkflow", "ReportDeliveryInitiatedEventWorkflow",
        "UserTeamInvitedEventWorkflow", "CustomerProjectTransferredEventWorkflow", "PasswordResetRequestedEventWorkflow",
        "InactiveUserDetectedEventWorkflow",
    ];
}
