using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>One run of a re-run chain; <see cref="Reason"/> is the reset reason that created it (null for the original run).</summary>
public sealed record ChainLink(string RunId, string Status, string? Reason, bool IsCurrent);

/// <summary>
/// The runs a workflow went through by re-runs, oldest first: each reset run's history holds a
/// WorkflowTaskFailed event with cause ResetWorkflow naming the run it was forked from (base run)
/// and itself (new run). The chain is walked back from the workflow's current run, so it does not
/// depend on the server filling in a base run's reset_run_id.
/// </summary>
internal static class RunChain
{
    /// <summary>A workflow re-run more often than this is shown with its latest runs only.</summary>
    public const int MaxLinks = 20;

    public static async Task<IReadOnlyList<ChainLink>> OfAsync(ITemporalClient client, string workflowId, string runId, IReadOnlyList<HistoryEvent> runHistory, CancellationToken cancellationToken)
    {
        var current = await RunLister.CurrentAsync(client, workflowId, cancellationToken).ConfigureAwait(false);
        var histories = new Dictionary<string, IReadOnlyList<HistoryEvent>>(StringComparer.Ordinal) { [runId] = runHistory };

        // From the current run back; the shown run is on this path unless the workflow id was started anew.
        var start = current?.RunId ?? runId;
        var path = await WalkBackAsync(client, workflowId, start, histories, cancellationToken).ConfigureAwait(false);
        if (!path.Any(l => l.RunId == runId))
        {
            path = await WalkBackAsync(client, workflowId, runId, histories, cancellationToken).ConfigureAwait(false);
        }

        var links = new List<ChainLink>();
        foreach (var (id, reason) in path)
        {
            var status = id == current?.RunId ? current.StatusName : await StatusAsync(client, workflowId, id, cancellationToken).ConfigureAwait(false);
            links.Add(new ChainLink(id, status, reason, id == current?.RunId));
        }

        return links;
    }

    private static async Task<List<(string RunId, string? Reason)>> WalkBackAsync(
        ITemporalClient client, string workflowId, string runId, Dictionary<string, IReadOnlyList<HistoryEvent>> histories, CancellationToken cancellationToken)
    {
        var path = new List<(string RunId, string? Reason)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = runId; id is not null && path.Count < MaxLinks && seen.Add(id);)
        {
            if (!histories.TryGetValue(id, out var events))
            {
                try
                {
                    var history = await client.GetWorkflowHandle(workflowId, id)
                        .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } }).ConfigureAwait(false);
                    events = [.. history.Events];
                }
                catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
                {
                    path.Insert(0, (id, null));
                    break;
                }

                histories[id] = events;
            }

            var reset = events.LastOrDefault(e => e.EventType == EventType.WorkflowTaskFailed
                && e.WorkflowTaskFailedEventAttributes.Cause == WorkflowTaskFailedCause.ResetWorkflow
                && e.WorkflowTaskFailedEventAttributes.NewRunId == id);
            path.Insert(0, (id, reset?.WorkflowTaskFailedEventAttributes.Failure?.Message));
            id = reset?.WorkflowTaskFailedEventAttributes.BaseRunId;
        }

        return path;
    }

    private static async Task<string> StatusAsync(ITemporalClient client, string workflowId, string runId, CancellationToken cancellationToken)
    {
        try
        {
            var described = await client.GetWorkflowHandle(workflowId, runId).DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } }).ConfigureAwait(false);
            return StatusNames.Of(described.Status);
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            return "unknown (no longer kept)";
        }
    }
}
