namespace EventProcessor.Cli.Runs;

/// <summary>
/// Where a re-run restarts: just before the step that failed (keeping every step completed before
/// it), the first workflow task (everything runs again, for after a fix of the workflow or its
/// input), or the last workflow task (keeps every recorded step, the failed one included).
/// </summary>
public enum ResetPoint
{
    Failure,
    First,
    Last,
}

/// <summary>One run to re-run; without <see cref="RunId"/>, the workflow's current run.</summary>
public sealed record RunTarget(string WorkflowId, string? RunId);

public enum RerunOutcomeKind
{
    Rerun,
    WouldRerun,
    Skipped,
    Failed,
}

/// <summary>What became of one run; <see cref="Detail"/> says why it was skipped or failed, <see cref="Reset"/> where it restarts.</summary>
public sealed record RerunOutcome(string WorkflowId, string? RunId, RerunOutcomeKind Kind, string Detail, string? NewRunId = null, ResetChoice? Reset = null);

/// <summary>A re-run as the command asked for it.</summary>
public sealed record RerunPlan(IReadOnlyList<RunTarget> Targets, ResetPoint From, string Reason, bool DryRun, double? Rate, string StateFile);
