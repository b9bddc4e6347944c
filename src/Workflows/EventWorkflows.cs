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
    ];
}
