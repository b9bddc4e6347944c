namespace EventProcessor.Workflows.Catalog.Tests;

/// <summary>The nineteen types of events.md "Behaviour chosen by the product", whose histories this project keeps.</summary>
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
