using EventProcessor.Events.Catalog;
using EventProcessor.TestSupport;

namespace EventProcessor.Workflows.Tests;

/// <summary>
/// Replays the saved happy-path histories (<c>Histories/</c>, one per catalog workflow, recorded with
/// EVENTPROCESSOR_RECORD_HISTORIES=1) with the current workflow code: a change that would break
/// running workflows fails here, before deploy; and checks docs/actions.md against what those
/// histories measure.
/// </summary>
public class ReplayTests
{
    [Fact]
    public void Every_catalog_workflow_has_a_saved_happy_path_history_and_every_history_is_of_a_catalog_workflow()
    {
        var saved = WorkflowHistories.Load();
        var catalog = EventCatalog.All.Select(e => e.WorkflowType).ToList();

        var missing = catalog.Where(w => !saved.ContainsKey(w)).ToList();
        Assert.True(missing.Count == 0, $"No saved history for: {string.Join(", ", missing)}");
        var foreign = saved.Keys.Except(catalog, StringComparer.Ordinal).ToList();
        Assert.True(foreign.Count == 0, $"Histories of workflows the catalog does not have: {string.Join(", ", foreign)}");
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

    [Fact]
    public void The_actions_table_has_a_row_for_every_catalog_type_and_no_other()
    {
        var rows = WorkflowHistories.DocumentedActions();

        var missing = EventCatalog.All.Select(e => e.WorkflowType).Where(t => !rows.ContainsKey(t)).ToList();
        Assert.True(missing.Count == 0, $"docs/actions.md has no row for: {string.Join(", ", missing)}");
        var stale = rows.Keys.Where(t => !EventCatalog.TryGetByWorkflowType(t, out _)).ToList();
        Assert.True(stale.Count == 0, $"docs/actions.md has rows for workflows the catalog does not have: {string.Join(", ", stale)}");
    }
}
