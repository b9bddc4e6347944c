using System.Text.RegularExpressions;
using EventProcessor.WorkflowTesting;
using Temporalio.Worker;

namespace EventProcessor.Workflows.Tests;

/// <summary>
/// Replays the saved happy-path histories (recorded with EVENTPROCESSOR_RECORD_HISTORIES=1) with the
/// current workflow code: a change that would break running workflows fails here, before deploy.
/// </summary>
public partial class ReplayTests
{
    /// <summary>The ten documented types of events.md, whose histories this project keeps.</summary>
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
        var documented = TableRow().Matches(table).ToDictionary(m => m.Groups["type"].Value, m => int.Parse(m.Groups["actions"].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

        foreach (var (type, history) in WorkflowHistories.Load())
        {
            Assert.True(documented.TryGetValue(type, out var actions), $"docs/actions.md has no row for {type}");
            Assert.Equal(WorkflowHistories.CountActions(history), actions);
        }
    }

    [GeneratedRegex(@"^\|\s*(?<type>\w+Workflow)\s*\|\s*(?<actions>\d+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
