using EventProcessor.Workflows.Accounts;
using EventProcessor.Workflows.Crawler;
using EventProcessor.Workflows.Delivery;
using EventProcessor.Workflows.Leads;
using EventProcessor.Workflows.Projects;
using EventProcessor.Workflows.Reports;
using EventProcessor.Workflows.Tickets;

namespace EventProcessor.Workflows;

/// <summary>Every event workflow, for worker registration (one per catalog entry).</summary>
public static class EventWorkflows
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(TicketCommentedEventWorkflow),
        typeof(ContactMessageRepliedEventWorkflow),
        typeof(ReportUpdatedEventWorkflow),
        typeof(ReportSchemaGeneratedEventWorkflow),
        typeof(TicketUpdatedEventWorkflow),
        typeof(ReportRunStoppedEventWorkflow),
        typeof(ProjectUpdatedEventWorkflow),
        typeof(TicketTransitionedEventWorkflow),
        typeof(TicketCreatedEventWorkflow),
        typeof(MeetingScheduledEventWorkflow),

        // Behaviour chosen by the product.
        typeof(CrawlerSummaryCalculatedEventWorkflow),
        typeof(ProjectCreatedEventWorkflow),
        typeof(UserProjectAddedEventWorkflow),
        typeof(MetadataUpdatedEventWorkflow),
        typeof(ReportRunFailedEventWorkflow),
        typeof(CrawlerIncidentEventWorkflow),
        typeof(ContactFormSubmittedEventWorkflow),
        typeof(HistoryStatsAddedEventWorkflow),
        typeof(ReportCreatedEventWorkflow),
        typeof(ReportCanceledEventWorkflow),
        typeof(UserCreatedEventWorkflow),
        typeof(LoginEmailDeliveredEventWorkflow),
        typeof(DataDeliveryFailedEventWorkflow),
        typeof(CrawlerRunStartedEventWorkflow),
        typeof(ReportDeliveryInitiatedEventWorkflow),
        typeof(UserTeamInvitedEventWorkflow),
        typeof(CustomerProjectTransferredEventWorkflow),
        typeof(PasswordResetRequestedEventWorkflow),
        typeof(InactiveUserDetectedEventWorkflow),
    ];
}
