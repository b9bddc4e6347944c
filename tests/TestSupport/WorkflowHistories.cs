using System.Globalization;
using System.Text.RegularExpressions;
using EventProcessor.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace EventProcessor.TestSupport;

/// <summary>
/// Saved happy-path histories: recorded by the end-to-end tests when
/// <c>EVENTPROCESSOR_RECORD_HISTORIES=1</c>, committed under <c>tests/Workflows.Tests/Histories/</c>,
/// then replayed on every run so a change that breaks determinism fails before it is deployed.
/// They also give the Temporal actions each event costs.
/// </summary>
public static partial class WorkflowHistories
{
    public const string RecordVariable = "EVENTPROCESSOR_RECORD_HISTORIES";

    /// <summary>The test project whose <c>Histories/</c> folder holds every saved history.</summary>
    public const string HistoriesProject = "Workflows.Tests";

    public static bool Recording => Environment.GetEnvironmentVariable(RecordVariable) == "1";

    /// <summary>Writes the run's history to <c>tests/{testProject}/Histories/{workflowType}.json</c> when recording.</summary>
    public static async Task SaveIfRecordingAsync(WorkflowHandle handle, string workflowType, string testProject = HistoriesProject)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!Recording)
        {
            return;
        }

        var history = await handle.FetchHistoryAsync();
        var directory = Path.Combine(SampleEvents.RepositoryRoot(), "tests", testProject, "Histories");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{workflowType}.json"), history.ToJson());
        await UpdateActionsTableAsync(workflowType, CountActions(history), history.Events.Count);
    }

    /// <summary>Keeps docs/actions.md's row for the workflow type equal to what its saved history measures.</summary>
    private static async Task UpdateActionsTableAsync(string workflowType, int actions, int events)
    {
        var path = Path.Combine(SampleEvents.RepositoryRoot(), "docs", "actions.md");
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (var line in await File.ReadAllLinesAsync(path))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                if (cells.Length > 2 && cells[1].EndsWith("Workflow", StringComparison.Ordinal))
                {
                    rows[cells[1]] = line;
                }
            }
        }

        rows[workflowType] = $"| {workflowType} | {actions} | {events} |";
        var text = string.Join('\n',
            "# Temporal actions per event",
            string.Empty,
            "Measured from the saved happy-path histories (`tests/Workflows.Tests/Histories`, recorded by the end-to-end",
            "tests with `EVENTPROCESSOR_RECORD_HISTORIES=1`). Actions follow Temporal Cloud's billing model:",
            "the start, each activity attempt, each timer and signal, and the local activities of one",
            "workflow task counted once. A retry adds one action per extra attempt. A test checks that this",
            "table equals what the histories measure.",
            string.Empty,
            "| workflow | actions | history events |",
            "|---|---|---|",
            string.Join('\n', rows.Values),
            string.Empty);
        await File.WriteAllTextAsync(path, text);
    }

    /// <summary>The saved histories copied next to the test assembly, by workflow type.</summary>
    public static IReadOnlyDictionary<string, WorkflowHistory> Load()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Histories");
        if (!Directory.Exists(directory))
        {
            return new Dictionary<string, WorkflowHistory>();
        }

        return Directory.GetFiles(directory, "*.json").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => WorkflowHistory.FromJson(Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Billable actions of a run, per Temporal Cloud's model: the start, each activity attempt,
    /// each timer and signal, and the local activities of one workflow task counted once.
    /// </summary>
    public static int CountActions(WorkflowHistory history) =>
        EventProcessor.Workflows.Common.BillableActions.Count(history);

    /// <summary>Replays every saved history with the current code of every event workflow; returns the failures.</summary>
    public static async Task<IReadOnlyList<string>> ReplayFailuresAsync()
    {
        var options = new WorkflowReplayerOptions();
        foreach (var workflow in EventWorkflows.Types)
        {
            options.AddWorkflow(workflow);
        }

        var replayer = new WorkflowReplayer(options);
        var failures = new List<string>();
        foreach (var (type, history) in Load())
        {
            var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
            if (result.ReplayFailure is { } failure)
            {
                failures.Add($"{type}: {failure}");
            }
        }

        return failures;
    }

    /// <summary>The rows of docs/actions.md: actions and history events per workflow type.</summary>
    public static IReadOnlyDictionary<string, (int Actions, int Events)> DocumentedActions()
    {
        var table = File.ReadAllText(Path.Combine(SampleEvents.RepositoryRoot(), "docs", "actions.md"));
        return ActionsRow().Matches(table).ToDictionary(
            m => m.Groups["type"].Value,
            m => (int.Parse(m.Groups["actions"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["events"].Value, CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\|\s*(?<type>\w+Workflow)\s*\|\s*(?<actions>\d+)\s*\|\s*(?<events>\d+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex ActionsRow();
}
