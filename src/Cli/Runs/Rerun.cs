namespace EventProcessor.Cli.Runs;

/// <summary>Where a re-run restarts: the first workflow task replays the whole run; the last keeps completed steps.</summary>
public enum ResetPoint
{
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

/// <summary>What became of one run; <see cref="Detail"/> says why it was skipped or failed.</summary>
public sealed record RerunOutcome(string WorkflowId, string? RunId, RerunOutcomeKind Kind, string Detail, string? NewRunId = null);

/// <summary>A re-run as the command asked for it.</summary>
public sealed record RerunPlan(IReadOnlyList<RunTarget> Targets, ResetPoint From, string Reason, bool DryRun, double? Rate, string StateFile);
