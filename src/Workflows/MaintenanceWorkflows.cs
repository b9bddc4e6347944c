using EventProcessor.Workflows.Reconciliation;

namespace EventProcessor.Workflows;

/// <summary>Workflows that no event starts (schedules and on-call start them), for worker registration beside <see cref="EventWorkflows"/>.</summary>
public static class MaintenanceWorkflows
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(SearchIndexReconciliationWorkflow),
    ];
}
