using EventProcessor.Events.Maintenance;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace EventProcessor.Hosting;

/// <summary>What <see cref="ReconciliationSchedule.EnsureAsync"/> did.</summary>
public enum ScheduleEnsured
{
    Created,
    Updated,
}

/// <summary>
/// The one definition of the schedule <c>reconcile-search-index</c> (id, action, times, policies),
/// which the worker ensures at start and <c>eventprocessor schedules ensure</c> ensures on demand.
/// </summary>
public static class ReconciliationSchedule
{
    /// <summary>The schedule id (a contract). Each scheduled run's workflow id is this id plus the scheduled time, which Temporal appends.</summary>
    public const string Id = "reconcile-search-index";

    /// <summary>The note on a schedule paused because <c>Reconciliation:Enabled</c> is false.</summary>
    public const string DisabledNote = "Paused by configuration: Reconciliation:Enabled is false.";

    /// <summary>
    /// A run that misses its time (server or workers down) still starts within this window, once;
    /// later than that it waits for the next night.
    /// </summary>
    public static readonly TimeSpan CatchupWindow = TimeSpan.FromHours(6);

    /// <summary>The workflow id of a run started now by hand (<c>eventprocessor reconcile run</c>).</summary>
    public static string ManualWorkflowId(DateTimeOffset now) =>
        $"{Id}-manual-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The schedule for these settings, starting runs on <paramref name="taskQueue"/>; paused when reconciliation is disabled.</summary>
    public static Schedule Build(ReconciliationSettings settings, string taskQueue)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var action = ScheduleActionStartWorkflow.Create(
            SearchIndexReconciliation.WorkflowType,
            [settings.Input(dryRun: false)],
            new WorkflowOptions(Id, taskQueue) { StaticSummary = "Scheduled reconciliation of the search index with the platform" });
        return new Schedule(action, new ScheduleSpec
        {
            Calendars = [CronCalendar.Parse(settings.Schedule)],
            TimeZoneName = settings.TimeZone,
        })
        {
            // A run still going (a large index, a slow platform) is not joined by a second one.
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip, CatchupWindow = CatchupWindow },
            State = settings.Enabled ? new ScheduleState() : new ScheduleState { Paused = true, Note = DisabledNote },
        };
    }

    /// <summary>
    /// Creates the schedule, or updates an existing one to these settings (safe to repeat; several
    /// workers starting at once end with the same schedule). An enabled schedule that someone paused
    /// by hand stays paused; one paused only because reconciliation was disabled is resumed.
    /// </summary>
    public static async Task<ScheduleEnsured> EnsureAsync(ITemporalClient client, ReconciliationSettings settings, string taskQueue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var schedule = Build(settings, taskQueue);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            await client.CreateScheduleAsync(Id, schedule, new ScheduleOptions { Rpc = rpc }).ConfigureAwait(false);
            return ScheduleEnsured.Created;
        }
        catch (ScheduleAlreadyRunningException)
        {
            // It exists: update it below.
        }

        await client.GetScheduleHandle(Id).UpdateAsync(
            input =>
            {
                var current = input.Description.Schedule.State;
                var pausedByHand = current.Paused && !string.Equals(current.Note, DisabledNote, StringComparison.Ordinal);
                var state = settings.Enabled && pausedByHand ? new ScheduleState { Paused = true, Note = current.Note } : schedule.State;
                return new ScheduleUpdate(schedule with { State = state });
            },
            rpc).ConfigureAwait(false);
        return ScheduleEnsured.Updated;
    }
}
