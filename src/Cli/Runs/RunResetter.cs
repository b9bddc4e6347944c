using System.Security.Cryptography;
using System.Text;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// Re-runs one run by resetting it to its first (or last) completed workflow task. Never twice:
/// a run already recorded in the state file, or no longer its workflow's current run (someone,
/// maybe an interrupted earlier attempt, already reset it), is skipped. The reset's request id
/// (derived from run and reason) is not relied on: Temporal de-duplicates a reset only against
/// the current run's create request id, which after a reset is the base run's start request id,
/// so the same reset sent again is applied again. Hence the reset call is never retried by the
/// client: if its answer is lost, the next invocation finds the run superseded.
/// </summary>
internal sealed class RunResetter(ITemporalClient client, RerunPlan plan, RerunStateFile state, TimeProvider time)
{
    public async Task<RerunOutcome> RerunAsync(RunTarget target, Pacer pacer, CancellationToken cancellationToken)
    {
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            var run = await DescribeAsync(target.WorkflowId, target.RunId, rpc).ConfigureAwait(false);
            var runId = run.WorkflowExecutionInfo.Execution.RunId;
            if (state.TryGetDone(target.WorkflowId, runId, out var earlier))
            {
                return new(target.WorkflowId, runId, RerunOutcomeKind.Skipped, $"already re-run by this operation (new run {earlier})", earlier);
            }

            if (run.WorkflowExecutionInfo.Status == WorkflowExecutionStatus.Running)
            {
                return new(target.WorkflowId, runId, RerunOutcomeKind.Skipped, "still running: wait for it to fail, or terminate it first");
            }

            if (target.RunId is not null)
            {
                var current = await DescribeAsync(target.WorkflowId, null, rpc).ConfigureAwait(false);
                var currentRunId = current.WorkflowExecutionInfo.Execution.RunId;
                if (currentRunId != runId)
                {
                    return new(target.WorkflowId, runId, RerunOutcomeKind.Skipped,
                        $"superseded: the workflow's current run is {currentRunId} ({StatusNames.Of(current.WorkflowExecutionInfo.Status)})", currentRunId);
                }
            }

            var resetEventId = await FindResetPointAsync(target.WorkflowId, runId, rpc).ConfigureAwait(false);
            if (resetEventId is null)
            {
                return new(target.WorkflowId, runId, RerunOutcomeKind.Failed, "no completed workflow task to reset to (the run never got past its first task)");
            }

            if (plan.DryRun)
            {
                return new(target.WorkflowId, runId, RerunOutcomeKind.WouldRerun, $"would reset to event {resetEventId} ({plan.From.ToString().ToLowerInvariant()} workflow task)");
            }

            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            var response = await client.WorkflowService.ResetWorkflowExecutionAsync(
                new ResetWorkflowExecutionRequest
                {
                    Namespace = client.Options.Namespace,
                    WorkflowExecution = new() { WorkflowId = target.WorkflowId, RunId = runId },
                    Reason = plan.Reason,
                    WorkflowTaskFinishEventId = resetEventId.Value,
                    RequestId = RequestId(target.WorkflowId, runId, plan.Reason),
                },
                new RpcOptions { CancellationToken = cancellationToken, Retry = false }).ConfigureAwait(false);
            state.Record(target.WorkflowId, runId, response.RunId, plan.Reason, time.GetUtcNow());
            return new(target.WorkflowId, runId, RerunOutcomeKind.Rerun, $"reset to event {resetEventId}", response.RunId);
        }
        catch (Temporalio.Exceptions.RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            var why = e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound ? "no such run" : e.Message;
            return new(target.WorkflowId, target.RunId, RerunOutcomeKind.Failed, $"Temporal: {why}");
        }
    }

    private Task<DescribeWorkflowExecutionResponse> DescribeAsync(string workflowId, string? runId, RpcOptions rpc) =>
        client.WorkflowService.DescribeWorkflowExecutionAsync(
            new DescribeWorkflowExecutionRequest
            {
                Namespace = client.Options.Namespace,
                Execution = new() { WorkflowId = workflowId, RunId = runId ?? string.Empty },
            },
            rpc);

    // Reset points are WorkflowTaskCompleted events, as `temporal workflow reset --type FirstWorkflowTask|LastWorkflowTask` picks them.
    private async Task<long?> FindResetPointAsync(string workflowId, string runId, RpcOptions rpc)
    {
        var history = await client.GetWorkflowHandle(workflowId, runId)
            .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc }).ConfigureAwait(false);
        var completed = history.Events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).Select(e => e.EventId);
        return plan.From == ResetPoint.First ? completed.Cast<long?>().FirstOrDefault() : completed.Cast<long?>().LastOrDefault();
    }

    private static string RequestId(string workflowId, string runId, string reason)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{workflowId}\n{runId}\n{reason}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
