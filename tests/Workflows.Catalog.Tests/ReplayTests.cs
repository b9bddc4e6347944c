using System.Globalization;
using System.Text.RegularExpressions;
using EventProcessor.WorkflowTesting;
using Temporalio.Worker;

namespace EventProcessor.Workflows.Catalog.Tests;

/// <summary>
/// Replays this project's saved happy-path histories (recorded with EVENTPROCESSOR_RECORD_HISTORIES=1)
/// with the current workflow code, so a change that would break running workflows fails here; and
/// checks docs/actions.md against what those histories measure.
/// </summary>
public partial class ReplayTests
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
        var options = new WorkflowReplayerOptions();
        foreach (var workflow in EventWorkflows.Types)
        {
            options.AddWorkflow(workflow);
        }

        var replayer = new WorkflowReplayer(options);
        var saved = WorkflowHistories.Load();
        Assert.NotEmpty(saved);
        foreach (var (type, history) in saved)
        {
            var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
            Assert.True(result.ReplayFailure is null, $"{type}: {result.ReplayFailure}");
        }
    }

    [Fact]
    public void The_actions_table_in_the_docs_matches_the_saved_histories()
    {
        var table = File.ReadAllText(Path.Combine(SampleEvents.RepositoryRoot(), "docs", "actions.md"));
        var documented = TableRow().Matches(table).ToDictionary(
            m => m.Groups["type"].Value,
            m => (Actions: int.Parse(m.Groups["actions"].Value, CultureInfo.InvariantCulture), Events: int.Parse(m.Groups["events"].Value, CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);

        var saved = WorkflowHistories.Load();
        Assert.NotEmpty(saved);
        foreach (var (type, history) in saved)
        {
            Assert.True(documented.TryGetValue(type, out var row), $"docs/actions.md has no row for {type}");
            Assert.Equal((WorkflowHistories.CountActions(history), history.Events.Count), row);
        }
    }

    [Fact]
    public void The_actions_table_covers_every_catalog_type()
    {
        var table = File.ReadAllText(Path.Combine(SampleEvents.RepositoryRoot(), "docs", "actions.md"));
        var rows = TableRow().Matches(table).Select(m => m.Groups["type"].Value).ToHashSet(StringComparer.Ordinal);

        var missing = Events.Catalog.EventCatalog.All.Select(e => e.WorkflowType).Where(t => !rows.Contains(t)).ToList();
        Assert.True(missing.Count == 0, $"docs/actions.md has no row for: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"^\|\s*(?<type>\w+Workflow)\s*\|\s*(?<actions>\d+)\s*\|\s*(?<events>\d+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
