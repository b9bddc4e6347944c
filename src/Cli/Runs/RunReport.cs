namespace EventProcessor.Cli.Runs;

/// <summary>Everything <c>runs show</c> prints about one run.</summary>
public sealed record RunReport(
    RunSummary Summary,
    string Input,
    string? Result,
    IReadOnlyList<FailureLink> Failure,
    IReadOnlyList<ActivityStep> Activities,
    IReadOnlyList<PendingActivity> Pending,
    IReadOnlyList<ChainLink> Chain);

public sealed record RunSummary(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    string Status,
    DateTime? StartTime,
    DateTime? CloseTime,
    string TaskQueue,
    long HistoryLength,
    string? StaticSummary,
    IReadOnlyDictionary<string, string> SearchAttributes);

/// <summary>One link of a failure's cause chain, outermost first.</summary>
public sealed record FailureLink(string Kind, string? ErrorType, string Message);

/// <summary>One activity of the history: scheduled, then the last attempt's start and close (earlier attempts leave no events).</summary>
public sealed record ActivityStep(
    long ScheduledEventId,
    string ActivityId,
    string ActivityType,
    string? Summary,
    DateTime ScheduledTime,
    string Status,
    int Attempts,
    FailureLink? LastFailure);

/// <summary>An activity still scheduled or retrying, from describe.</summary>
public sealed record PendingActivity(string ActivityId, string ActivityType, string State, int Attempt, FailureLink? LastFailure, DateTime? NextAttempt);
