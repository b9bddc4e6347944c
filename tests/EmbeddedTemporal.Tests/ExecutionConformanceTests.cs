using EventProcessor.TestSupport;
using Temporalio.Api.Common.V1;
using WorkflowExecution = Temporalio.Api.Common.V1.WorkflowExecution;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Start policies and requests on a workflow id's chain of runs, as a real Temporal server
/// handles them. Each test names the server function the behaviour comes from (temporalio/temporal).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ExecutionConformanceTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    // Real server: the frontend's start validation refuses REJECT_DUPLICATE together with
    // TERMINATE_EXISTING (errIncompatibleIDReusePolicyRejectDuplicate, for StartWorkflowExecution
    // and SignalWithStartWorkflowExecution alike).
    [Fact]
    public async Task Terminate_existing_with_reject_duplicate_is_invalid_for_start()
    {
        var id = $"policies-{Guid.NewGuid()}";
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowId = id,
            WorkflowType = new WorkflowType { Name = nameof(WaitingWorkflow) },
            TaskQueue = new TaskQueue { Name = TaskQueues.Unique("nobody") },
            RequestId = Guid.NewGuid().ToString(),
            WorkflowIdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting,
            WorkflowIdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
        }));

        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE", ex.Message, StringComparison.Ordinal);
        await AssertNeverStartedAsync(id);
    }

    [Fact]
    public async Task Terminate_existing_with_reject_duplicate_is_invalid_for_signal_with_start()
    {
        var id = $"policies-sws-{Guid.NewGuid()}";
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.SignalWithStartWorkflowExecutionAsync(new SignalWithStartWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowId = id,
            WorkflowType = new WorkflowType { Name = nameof(WaitingWorkflow) },
            TaskQueue = new TaskQueue { Name = TaskQueues.Unique("nobody") },
            RequestId = Guid.NewGuid().ToString(),
            SignalName = "nudge",
            WorkflowIdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting,
            WorkflowIdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
        }));

        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        await AssertNeverStartedAsync(id);
    }

    // Real server: terminateworkflow.Invoke (service/history/api/terminateworkflow/api.go) ignores
    // the run id when first_execution_run_id is set, loads the current run of the workflow id and
    // acts on it if that run's chain started with the given run; otherwise NOT_FOUND.
    // requestcancelworkflow.Invoke does the same for cancellation.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Terminate_and_cancel_with_a_first_execution_run_id_act_on_the_current_run_of_that_chain(bool cancel)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var (id, firstRunId, currentRunId) = await StartChainAsync(queue);
            var request = new WorkflowExecution { WorkflowId = id, RunId = firstRunId };

            var mismatch = await Assert.ThrowsAsync<RpcException>(() => ActAsync(cancel, request, Guid.NewGuid().ToString()));
            Assert.Equal(RpcException.StatusCode.NotFound, mismatch.Code);
            Assert.Equal(WorkflowExecutionStatus.Running, (await fixture.Client.GetWorkflowHandle(id, currentRunId).DescribeAsync()).Status);

            await ActAsync(cancel, request, firstRunId);

            var current = fixture.Client.GetWorkflowHandle(id, currentRunId);
            var status = await Eventually.ValueAsync(
                async () => (await current.DescribeAsync()).Status,
                s => s != WorkflowExecutionStatus.Running,
                s_wait,
                "the current run to close");
            Assert.Equal(cancel ? WorkflowExecutionStatus.Canceled : WorkflowExecutionStatus.Terminated, status);
        });
    }

    /// <summary>A chain of two runs: a waiting run, reset into a second (the reset run's chain starts with the first).</summary>
    private async Task<(string Id, string FirstRunId, string CurrentRunId)> StartChainAsync(string queue)
    {
        var id = $"chain-{Guid.NewGuid()}";
        var handle = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions(id, queue));
        var completed = await Eventually.ValueAsync(
            async () => (await handle.FetchHistoryAsync()).Events.FirstOrDefault(e => e.EventType == EventType.WorkflowTaskCompleted),
            e => e is not null,
            s_wait,
            "the first workflow task");
        var reset = await fixture.Client.WorkflowService.ResetWorkflowExecutionAsync(new ResetWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowExecution = new WorkflowExecution { WorkflowId = id, RunId = handle.ResultRunId },
            Reason = "make a chain",
            WorkflowTaskFinishEventId = completed!.EventId,
            RequestId = Guid.NewGuid().ToString(),
        });
        Assert.Equal(handle.ResultRunId, (await fixture.DescribeRawAsync(fixture.Client.GetWorkflowHandle(id, reset.RunId))).WorkflowExecutionInfo.FirstRunId);
        return (id, handle.ResultRunId!, reset.RunId);
    }

    private async Task ActAsync(bool cancel, WorkflowExecution execution, string firstExecutionRunId)
    {
        if (cancel)
        {
            await fixture.Client.WorkflowService.RequestCancelWorkflowExecutionAsync(new RequestCancelWorkflowExecutionRequest
            {
                Namespace = fixture.Namespace,
                WorkflowExecution = execution,
                FirstExecutionRunId = firstExecutionRunId,
                RequestId = Guid.NewGuid().ToString(),
                Reason = "conformance",
            });
        }
        else
        {
            await fixture.Client.WorkflowService.TerminateWorkflowExecutionAsync(new TerminateWorkflowExecutionRequest
            {
                Namespace = fixture.Namespace,
                WorkflowExecution = execution,
                FirstExecutionRunId = firstExecutionRunId,
                Reason = "conformance",
            });
        }
    }

    private async Task AssertNeverStartedAsync(string id)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetWorkflowHandle(id).DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, ex.Code);
    }
}
