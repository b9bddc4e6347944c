using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.Cli.Runs;

/// <summary>One activity that had completed in the run, and what it changed outside it (null: a read).</summary>
public sealed record CompletedStep(long ScheduledEventId, string ActivityType, string? SideEffect);

/// <summary>
/// Where a re-run restarts and what that means: the steps whose results the new run keeps and
/// the completed steps it runs again.
/// </summary>
public sealed record ResetChoice(
    long EventId,
    ResetPoint From,
    string? FailedActivity,
    bool FirstWorkflowTask,
    IReadOnlyList<CompletedStep> Kept,
    IReadOnlyList<CompletedStep> Repeated)
{
    /// <summary>The repeated steps that change something outside the run (mails, pushes, comments...).</summary>
    public IReadOnlyList<CompletedStep> RepeatedSideEffects => [.. Repeated.Where(s => s.SideEffect is not null)];

    /// <summary>One line for the summary, e.g. "reset to event 30, just before CreateIssueOnce failed; keeps 6 completed step(s)".</summary>
    public string Describe()
    {
        var where = From switch
        {
            ResetPoint.First => $"reset to event {EventId} (the first workflow task): every step runs again",
            ResetPoint.Last => $"reset to event {EventId} (the last workflow task)",
            _ => $"reset to event {EventId}, just before {(FailedActivity is null ? "the failure" : $"{FailedActivity} failed")}",
        };
        if (From == ResetPoint.First)
        {
            return RepeatedSideEffects.Count == 0 ? $"{where} (no side effect had happened)" : $"{where}, repeating {Steps(RepeatedSideEffects)}";
        }

        if (Repeated.Count == 0)
        {
            return Kept.Count == 0 ? $"{where}; no step had completed before it" : $"{where}; keeps {Kept.Count} completed step(s)";
        }

        var why = FirstWorkflowTask
            ? "that is the first workflow task, so the steps completed since cannot be kept"
            : "the steps that completed after it cannot be kept";
        return $"{where}: {why} and run again: {Steps(Repeated)}";
    }

    internal static string Steps(IEnumerable<CompletedStep> steps) =>
        string.Join(", ", steps.Select(s => s.SideEffect is null ? s.ActivityType : $"{s.SideEffect} ({s.ActivityType})"));
}

/// <summary>
/// Picks a run's reset point from its history. A reset copies the history up to the chosen
/// WorkflowTaskCompleted event (exclusive) into a new run: activities completed before it keep their
/// results, activities scheduled but not yet closed are dispatched again, and the workflow code
/// continues from there (temporalio/temporal service/history/ndc/workflow_resetter.go,
/// failInflightActivity). So the latest point that keeps the most, yet lets the failed step run
/// again, is the last WorkflowTaskCompleted before that step's failure was recorded.
/// </summary>
public static class ResetPlanner
{
    /// <summary>The reset point for <paramref name="from"/>, or null when the run never completed a workflow task.</summary>
    public static ResetChoice? Choose(IReadOnlyList<HistoryEvent> events, ResetPoint from)
    {
        ArgumentNullException.ThrowIfNull(events);
        var taskCompletions = events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).Select(e => e.EventId).ToList();
        if (taskCompletions.Count == 0)
        {
            return null;
        }

        var (failureEventId, failedActivity) = FailurePoint(events);
        var eventId = from switch
        {
            ResetPoint.First => taskCompletions[0],
            ResetPoint.Last => taskCompletions[^1],
            _ => taskCompletions.LastOrDefault(id => id < failureEventId, taskCompletions[0]),
        };

        var completed = CompletedSteps(events);
        var kept = completed.Where(c => c.CompletedEventId < eventId).Select(c => c.Step).ToList();
        var repeated = completed.Where(c => c.CompletedEventId > eventId).Select(c => c.Step).ToList();
        return new ResetChoice(eventId, from, failedActivity, eventId == taskCompletions[0], kept, repeated);
    }

    /// <summary>
    /// The event that recorded the failure the run ended with: the failed (or timed out) activity
    /// named in the run's failure, else the first activity that failed, else the run's close event.
    /// </summary>
    internal static (long EventId, string? Activity) FailurePoint(IReadOnlyList<HistoryEvent> events)
    {
        var scheduled = events.Where(e => e.EventType == EventType.ActivityTaskScheduled)
            .ToDictionary(e => e.EventId, e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name);
        var activityFailures = events.Where(e => e.EventType is EventType.ActivityTaskFailed or EventType.ActivityTaskTimedOut)
            .Select(e => (e.EventId, ScheduledEventId: e.EventType == EventType.ActivityTaskFailed
                ? e.ActivityTaskFailedEventAttributes.ScheduledEventId
                : e.ActivityTaskTimedOutEventAttributes.ScheduledEventId))
            .ToList();

        var closed = events.LastOrDefault(e => e.EventType is EventType.WorkflowExecutionFailed or EventType.WorkflowExecutionTimedOut
            or EventType.WorkflowExecutionTerminated or EventType.WorkflowExecutionCanceled or EventType.WorkflowExecutionCompleted);
        if (closed?.EventType == EventType.WorkflowExecutionFailed
            && ActivityCause(closed.WorkflowExecutionFailedEventAttributes.Failure) is { } cause
            && activityFailures.FirstOrDefault(f => f.ScheduledEventId == cause.ScheduledEventId) is { EventId: > 0 } named)
        {
            return (named.EventId, scheduled.GetValueOrDefault(named.ScheduledEventId));
        }

        if (activityFailures.Count > 0)
        {
            var first = activityFailures[0];
            return (first.EventId, scheduled.GetValueOrDefault(first.ScheduledEventId));
        }

        return (closed?.EventId ?? (events.Count == 0 ? long.MaxValue : events[^1].EventId + 1), null);
    }

    private static ActivityFailureInfo? ActivityCause(Failure? failure)
    {
        for (var current = failure; current is not null; current = current.Cause)
        {
            if (current.FailureInfoCase == Failure.FailureInfoOneofCase.ActivityFailureInfo)
            {
                return current.ActivityFailureInfo;
            }
        }

        return null;
    }

    private static List<(CompletedStep Step, long CompletedEventId)> CompletedSteps(IReadOnlyList<HistoryEvent> events)
    {
        var scheduled = events.Where(e => e.EventType == EventType.ActivityTaskScheduled)
            .ToDictionary(e => e.EventId, e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name);
        return [.. events.Where(e => e.EventType == EventType.ActivityTaskCompleted)
            .Select(e => (e.ActivityTaskCompletedEventAttributes.ScheduledEventId, e.EventId))
            .Where(c => scheduled.ContainsKey(c.ScheduledEventId))
            .Select(c =>
            {
                var type = scheduled[c.ScheduledEventId];
                return (new CompletedStep(c.ScheduledEventId, type, SideEffects.KindOf(type)), c.EventId);
            })];
    }
}
