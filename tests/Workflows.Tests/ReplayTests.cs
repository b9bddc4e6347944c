using EventProcessor.WorkflowTesting;

namespace EventProcessor.Workflows.Tests;

/// <summary>
/// Replays the saved happy-path histories (recorded with EVENTPROCESSOR_RECORD_HISTORIES=1) with the
/// current workflow code: a change that would break running workflows fails here, before deploy.
/// </summary>
public class ReplayTests
{
    /// <summary>The ten types with documented behaviour (the catalog's first group), whose histories this project keeps.</summary>
    public static readonly string[] DocumentedWorkflows =
    [
        "TicketCommentedEventWorkflow", "ContactMessageRepliedEventWorkflow", "ReportUpdatedEventWorkflow",
        "ReportSchemaGeneratedEventWorkflow", "TicketUpdatedEventWorkflow", "ReportRunStoppedEventWorkflow",
        "ProjectUpdatedEventWorkflow", "TicketTransitionedEventWorkflow", "TicketCreatedEventWorkflow", "MeetingScheduledEventWorkflow",
    ];

    [Fact]
    public void Every_documented_workflow_has_a_saved_happy_path_history()
    {
        var saved = WorkflowHistories.Load();

        var missing = DocumentedWorkflows.Where(w => !saved.ContainsKey(w)).ToList();
        Assert.True(missing.Count == 0, $"No saved history for: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Every_saved_history_replays_with_the_current_workflow_code()
    {
        Assert.NotEmpty(WorkflowHistories.Load());

        var failures = await WorkflowHistories.ReplayFailuresAsync();

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void The_actions_table_in_the_docs_matches_the_saved_histories()
    {
        var documented = WorkflowHistories.DocumentedActions();
        var saved = WorkflowHistories.Load();

        Assert.NotEmpty(saved);
        foreach (var (type, history) in saved)
        {
            Assert.True(documented.TryGetValue(type, out var row), $"docs/actions.md has no row for {type}");
            Assert.Equal((WorkflowHistories.CountActions(history), history.Events.Count), row);
        }
    }
}
