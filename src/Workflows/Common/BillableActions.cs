using Temporalio.Api.Enums.V1;
using Temporalio.Common;

namespace EventProcessor.Workflows.Common;

/// <summary>
/// Billable actions of a run, per Temporal Cloud's model, as docs/actions.md counts them: the start,
/// each activity attempt, each timer and signal, and the local activities of one workflow task
/// counted once. One rule for the workflow tests (which check docs/actions.md) and the pipeline
/// benchmark (which reports actions per event).
/// </summary>
public static class BillableActions
{
    /// <summary>The marker name the SDK core records for <c>Workflow.Patched</c>.</summary>
    private const string PatchMarker = "core_patch";

    public static int Count(WorkflowHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var actions = 1;
        long lastCompletedTask = 0;
        var tasksWithMarkers = new HashSet<long>();
        foreach (var e in history.Events)
        {
            switch (e.EventType)
            {
                case EventType.WorkflowTaskCompleted:
                    lastCompletedTask = e.EventId;
                    break;
                case EventType.ActivityTaskStarted:
                    actions += Math.Max(1, e.ActivityTaskStartedEventAttributes.Attempt);
                    break;
                case EventType.TimerStarted:
                case EventType.WorkflowExecutionSignaled:
                    actions++;
                    break;
                // A local activity's result is a marker; a patch marker (Workflow.Patched) is only a version note, not billed.
                case EventType.MarkerRecorded when e.MarkerRecordedEventAttributes.MarkerName != PatchMarker:
                    tasksWithMarkers.Add(lastCompletedTask);
                    break;
                default:
                    break;
            }
        }

        return actions + tasksWithMarkers.Count;
    }
}
