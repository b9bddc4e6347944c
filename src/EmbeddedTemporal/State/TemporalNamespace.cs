using EventProcessor.EmbeddedTemporal.Visibility;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>
/// One namespace: its executions and search attributes. <see cref="Sync"/> guards every
/// execution of the namespace, so id-conflict checks and state transitions are atomic.
/// </summary>
internal sealed class TemporalNamespace
{
    private readonly Dictionary<string, List<WorkflowExecution>> _runsByWorkflowId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkflowExecution> _runsByRunId = new(StringComparer.Ordinal);

    public TemporalNamespace(string name, ServerContext server)
    {
        Name = name;
        Server = server;
    }

    public string Name { get; }

    public string Id { get; } = Guid.NewGuid().ToString();

    public ServerContext Server { get; }

    public object Sync { get; } = new();

    public SearchAttributeRegistry SearchAttributes { get; } = new();

    /// <summary>The namespace's schedules by schedule id (deleted ones are removed).</summary>
    public Dictionary<string, Schedules.ScheduleInstance> Schedules { get; } = new(StringComparer.Ordinal);

    /// <summary>A run closed: schedules waiting for it to start a buffered action wake up.</summary>
    public void OnRunClosed(WorkflowExecution run)
    {
        foreach (var schedule in Schedules.Values)
        {
            schedule.OnRunClosed(run);
        }
    }

    /// <summary>The newest run of a workflow id, open or closed.</summary>
    public WorkflowExecution? CurrentRun(string workflowId) =>
        _runsByWorkflowId.TryGetValue(workflowId, out var runs) ? runs[^1] : null;

    /// <summary>All runs of a workflow id, oldest first.</summary>
    public IReadOnlyList<WorkflowExecution> Runs(string workflowId) =>
        _runsByWorkflowId.TryGetValue(workflowId, out var runs) ? runs : [];

    public WorkflowExecution? FindRun(string workflowId, string? runId)
    {
        if (string.IsNullOrEmpty(runId))
        {
            return CurrentRun(workflowId);
        }

        return _runsByRunId.TryGetValue(runId, out var run) && run.WorkflowId == workflowId ? run : null;
    }

    /// <summary>Every run, open or closed: the namespace's visibility records.</summary>
    public IEnumerable<WorkflowExecution> AllRuns => _runsByRunId.Values;

    public IEnumerable<WorkflowExecution> RunningRuns() =>
        _runsByWorkflowId.Values.Select(runs => runs[^1]).Where(run => run.IsRunning);

    public void AddRun(WorkflowExecution run)
    {
        if (!_runsByWorkflowId.TryGetValue(run.WorkflowId, out var runs))
        {
            runs = [];
            _runsByWorkflowId[run.WorkflowId] = runs;
        }

        runs.Add(run);
        _runsByRunId[run.RunId] = run;
    }
}
