using EventProcessor.Workflows.Coalescing;

namespace EventProcessor.Workflows;

/// <summary>
/// The per-entity sync workflows that coalesce bursts of events (src/Workflows/Coalescing); a
/// worker registers them besides <see cref="EventWorkflows.Types"/>, since the event runs start them.
/// </summary>
public static class EntitySyncWorkflows
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(ProjectSearchSyncWorkflow),
        typeof(HubSpotTicketSyncWorkflow),
    ];
}
