using EventProcessor.WorkflowTesting;

namespace EventProcessor.Workflows.Catalog.Tests;

/// <summary>
/// Replays this project's saved happy-path histories (recorded with EVENTPROCESSOR_RECORD_HISTORIES=1)
/// with the current workflow code, so a change that would break running workflows fails here; and
/// checks docs/actions.md against what those histories measure.
/// </summary>
public class ReplayTests
{
    [Fact]
    public void Every_catalog_workflow_of_this_project_has_a_saved_happy_path_history()
    {
        var saved = WorkflowHistories.Load();

        var missing = CatalogWorkflows.Types.Where(w => !saved.ContainsKey(w)).ToList();
        Assert.True(missing.Count == 0, $"No saved history for: {string.Join(", ", missing)}");
        var foreign = saved.Keys.Except(CatalogWorkflows.Types, StringComparer.Ordinal).ToList();
        Assert.True(foreign.Count == 0, $"Histories of workflows this project does not test: {string.Join(", ", foreign)}");
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

        var missing = Events.Catalog.EventCatalog.All.Select(e => e.WorkflowType).Where(t => !rows.ContainsKey(t)).ToList();
        Assert.True(missing.Count == 0, $"docs/actions.md has no row for: {string.Join(", ", missing)}");
        var stale = rows.Keys.Where(t => !Events.Catalog.EventCatalog.TryGetByWorkflowType(t, out _)).ToList();
        Assert.True(stale.Count == 0, $"docs/actions.md has rows for workflows the catalog does not have: {string.Join(", ", stale)}");
    }
}
