using EventProcessor.Hosting;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace EventProcessor.Cli.Schedules;

/// <summary>The latest run a schedule started: its workflow, when it was due, its status and its summary (memo <c>summary</c>).</summary>
public sealed record ScheduledRun(string WorkflowId, DateTime ScheduledAt, string Status, string? Summary);

/// <summary>One schedule as <c>schedules list</c> shows it.</summary>
public sealed record ScheduleRow(
    string Id, string? WorkflowType, string Spec, bool Paused, string? Note, DateTime? NextRun, ScheduledRun? LastRun, long Runs);

/// <summary>
/// Reads the namespace's schedules with their next run and the outcome of their last one. The
/// schedule <c>reconcile-search-index</c> is always looked up by id too: listing goes through
/// visibility, which a real server updates a moment after a create.
/// </summary>
internal static class ScheduleLister
{
    public static async Task<IReadOnlyList<ScheduleRow>> ListAsync(ITemporalClient client, CancellationToken cancellationToken)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var listed in client.ListSchedulesAsync(new ScheduleListOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } }).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(listed.Id);
        }

        ids.Add(ReconciliationSchedule.Id);
        var rows = new List<ScheduleRow>();
        foreach (var id in ids)
        {
            if (await DescribeAsync(client, id, cancellationToken).ConfigureAwait(false) is { } row)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>The schedule, or null when it does not exist (deleted since it was listed, or never created).</summary>
    public static async Task<ScheduleRow?> DescribeAsync(ITemporalClient client, string id, CancellationToken cancellationToken)
    {
        ScheduleDescription description;
        try
        {
            description = await client.GetScheduleHandle(id).DescribeAsync(new RpcOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return null;
        }

        var schedule = description.Schedule;
        var info = description.Info;
        var last = info.RecentActions.OrderBy(a => a.ScheduledAt).LastOrDefault();
        ScheduledRun? lastRun = null;
        if (last?.Action is ScheduleActionExecutionStartWorkflow started)
        {
            lastRun = await RunAsync(client, started.WorkflowId, last.ScheduledAt, cancellationToken).ConfigureAwait(false);
        }

        return new ScheduleRow(
            description.Id,
            (schedule.Action as ScheduleActionStartWorkflow)?.Workflow,
            CronCalendar.Describe(schedule.Spec),
            schedule.State.Paused,
            string.IsNullOrEmpty(schedule.State.Note) ? null : schedule.State.Note,
            info.NextActionTimes.Count > 0 ? info.NextActionTimes.Min() : null,
            lastRun,
            info.NumActions);
    }

    private static async Task<ScheduledRun> RunAsync(ITemporalClient client, string workflowId, DateTime scheduledAt, CancellationToken cancellationToken)
    {
        try
        {
            // The latest run of the id: a reconciliation continues as new once a page, so this is the one that ends it.
            var run = await client.GetWorkflowHandle(workflowId).DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } }).ConfigureAwait(false);
            string? summary = null;
            if (run.Memo.TryGetValue("summary", out var value))
            {
                summary = await value.ToValueAsync<string>().ConfigureAwait(false);
            }

            return new ScheduledRun(workflowId, scheduledAt, StatusName(run.Status), summary);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return new ScheduledRun(workflowId, scheduledAt, "Unknown", "The run is no longer kept (past the namespace's retention).");
        }
    }

    private static string StatusName(WorkflowExecutionStatus status) => status switch
    {
        WorkflowExecutionStatus.ContinuedAsNew => "ContinuedAsNew",
        WorkflowExecutionStatus.TimedOut => "TimedOut",
        _ => status.ToString(),
    };
}
