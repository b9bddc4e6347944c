using System.Security.Cryptography;
using System.Text;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>A run checked and ready to reset, or the outcome already decided for it (skipped, failed, would re-run).</summary>
internal sealed record PlannedRun(RunTarget Target, string RunId, ResetChoice? Choice, RerunOutcome? Decided);

/// <summary>
/// Re-runs one run by resetting it, in two steps: <see cref="PlanAsync"/> reads the run and picks
/// its reset point (so side effects can be listed and confirmed before anything changes), then
/// <see cref="ResetAsync"/> resets it. Never twice: a run already recorded in the state file, a run
/// this operation created (recorded there, or a reset with the same reason in its history), or a
/// run that is no longer its workflow's current run (someone, maybe an interrupted earlier attempt,
/// already reset it) is skipped; to re-run a re-run that failed again, give a new reason. The CLI relies on these checks alone:
/// a server answers a repeated reset request id with the earlier run only while that run is still
/// current, so the request id (derived from run and reason) is a courtesy, not the guard. For the same reason
/// the reset call is never retried by the client: if its answer is lost, the next invocation finds
/// the run superseded.
/// </summary>
internal sealed class RunResetter(ITemporalClient client, RerunPlan plan, RerunStateFile state, TimeProvider time)
{
    public async Task<PlannedRun> PlanAsync(RunTarget target, CancellationToken cancellationToken)
    {
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            var run = await DescribeAsync(target.WorkflowId, target.RunId, rpc).ConfigureAwait(false);
            var runId = run.WorkflowExecutionInfo.Execution.RunId;
            PlannedRun Decided(RerunOutcomeKind kind, string detail, string? newRunId = null, ResetChoice? choice = null) =>
                new(target, runId, choice, new RerunOutcome(target.WorkflowId, runId, kind, detail, newRunId, choice));

            if (state.TryGetDone(target.WorkflowId, runId, out var earlier))
            {
                return Decided(RerunOutcomeKind.Skipped, $"already re-run by this operation (new run {earlier})", earlier);
            }

            if (state.TryGetCreatedFrom(target.WorkflowId, runId, out var baseRunId))
            {
                return Decided(RerunOutcomeKind.Skipped, $"already re-run by this operation (this run re-runs {baseRunId})", runId);
            }

            var status = run.WorkflowExecutionInfo.Status;
            if (status == WorkflowExecutionStatus.Running)
            {
                return Decided(RerunOutcomeKind.Skipped, "still running: wait for it to fail, or terminate it first");
            }

            if (target.RunId is not null)
            {
                var current = await DescribeAsync(target.WorkflowId, null, rpc).ConfigureAwait(false);
                var currentRunId = current.WorkflowExecutionInfo.Execution.RunId;
                if (currentRunId != runId)
                {
                    return Decided(RerunOutcomeKind.Skipped,
                        $"superseded: the workflow's current run is {currentRunId} ({StatusNames.Of(current.WorkflowExecutionInfo.Status)})", currentRunId);
                }
            }

            if (status == WorkflowExecutionStatus.Completed && plan.From != ResetPoint.First)
            {
                return Decided(RerunOutcomeKind.Skipped, "completed: no failed step to re-run (--from first runs every step again)");
            }

            var history = await client.GetWorkflowHandle(target.WorkflowId, runId)
                .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc }).ConfigureAwait(false);
            // Without the state file (lost, or the CLI killed between the reset and its record), the
            // run's own history still says whether this operation created it: the reset's reason.
            var createdBy = history.Events.LastOrDefault(e => e.EventType == EventType.WorkflowTaskFailed
                && e.WorkflowTaskFailedEventAttributes.Cause == WorkflowTaskFailedCause.ResetWorkflow
                && e.WorkflowTaskFailedEventAttributes.NewRunId == runId);
            if (createdBy?.WorkflowTaskFailedEventAttributes is { } reset && reset.Failure?.Message == plan.Reason)
            {
                return Decided(RerunOutcomeKind.Skipped, $"already re-run by this operation (this run re-runs {reset.BaseRunId} with the same reason)", runId);
            }

            var choice = ResetPlanner.Choose([.. history.Events], plan.From);
            if (choice is null)
            {
                return Decided(RerunOutcomeKind.Failed, "no completed workflow task to reset to (the run never got past its first task)");
            }

            if (plan.From != ResetPoint.First && choice.RepeatedSideEffects.Count > 0)
            {
                // The default promises not to repeat what already happened; when no reset point
                // can keep a side effect, the run waits for an explicit --from first.
                return Decided(RerunOutcomeKind.Failed,
                    $"not re-run: {choice.Describe()}. That would repeat {ResetChoice.Steps(choice.RepeatedSideEffects)}; to accept that, re-run it with --from first",
                    choice: choice);
            }

            return plan.DryRun
                ? Decided(RerunOutcomeKind.WouldRerun, $"would {choice.Describe()}", choice: choice)
                : new PlannedRun(target, runId, choice, null);
        }
        catch (Temporalio.Exceptions.RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            var why = e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound ? "no such run" : e.Message;
            return new(target, target.RunId ?? string.Empty, null, new RerunOutcome(target.WorkflowId, target.RunId, RerunOutcomeKind.Failed, $"Temporal: {why}"));
        }
    }

    public async Task<RerunOutcome> ResetAsync(PlannedRun planned, Pacer pacer, CancellationToken cancellationToken)
    {
        var (target, runId, choice) = (planned.Target, planned.RunId, planned.Choice!);

        // Checked again right before the reset: a run recorded since the plan was made (a second
        // invocation with the same state file) is not reset twice.
        if (state.TryGetDone(target.WorkflowId, runId, out var earlier))
        {
            return new(target.WorkflowId, runId, RerunOutcomeKind.Skipped, $"already re-run by this operation (new run {earlier})", earlier, choice);
        }

        // Never retried by the client: a reset sent again is applied again (see the class remarks).
        var rpc = new RpcOptions { CancellationToken = cancellationToken, Retry = false };
        try
        {
            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            var response = await client.WorkflowService.ResetWorkflowExecutionAsync(
                new ResetWorkflowExecutionRequest
                {
                    Namespace = client.Options.Namespace,
                    WorkflowExecution = new() { WorkflowId = target.WorkflowId, RunId = runId },
                    Reason = plan.Reason,
                    WorkflowTaskFinishEventId = choice.EventId,
                    RequestId = RequestId(target.WorkflowId, runId, plan.Reason),
                },
                rpc).ConfigureAwait(false);
            state.Record(target.WorkflowId, runId, response.RunId, plan.Reason, time.GetUtcNow());
            return new(target.WorkflowId, runId, RerunOutcomeKind.Rerun, choice.Describe(), response.RunId, choice);
        }
        catch (Temporalio.Exceptions.RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            var why = e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound ? "no such run" : e.Message;
            return new(target.WorkflowId, runId, RerunOutcomeKind.Failed, $"Temporal: {why}", null, choice);
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

    private static string RequestId(string workflowId, string runId, string reason)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{workflowId}\n{runId}\n{reason}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
