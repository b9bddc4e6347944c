using EventProcessor.TestSupport;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>Workflow id conflict policies (a running run) and reuse policies (a closed run), and request-id idempotency.</summary>
[Collection(TemporalCollection.Name)]
public sealed class IdPolicyTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private async Task<WorkflowHandle> StartWaitingAsync(string id, string queue, WorkflowIdConflictPolicy conflict = WorkflowIdConflictPolicy.Unspecified) =>
        await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions(id, queue) { IdConflictPolicy = conflict });

    private WorkflowHandle Run(WorkflowHandle started) => fixture.Client.GetWorkflowHandle(started.Id, runId: started.ResultRunId);

    [Fact]
    public async Task Conflict_policy_fail_rejects_a_second_start_with_the_already_started_detail()
    {
        var queue = TaskQueues.Unique();
        var id = $"conflict-fail-{Guid.NewGuid()}";
        var first = await StartWaitingAsync(id, queue);
        var ex = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => StartWaitingAsync(id, queue, WorkflowIdConflictPolicy.Fail));
        Assert.Equal(id, ex.WorkflowId);
        Assert.Equal(first.ResultRunId, ex.RunId);
        await first.TerminateAsync("test done");
    }

    [Fact]
    public async Task Conflict_policy_use_existing_returns_the_running_run()
    {
        var queue = TaskQueues.Unique();
        var id = $"conflict-use-existing-{Guid.NewGuid()}";
        var first = await StartWaitingAsync(id, queue);
        var second = await StartWaitingAsync(id, queue, WorkflowIdConflictPolicy.UseExisting);
        Assert.Equal(first.ResultRunId, second.ResultRunId);
        await first.TerminateAsync("test done");
    }

    [Fact]
    public async Task Conflict_policy_terminate_existing_replaces_the_running_run()
    {
        var queue = TaskQueues.Unique();
        var id = $"conflict-terminate-{Guid.NewGuid()}";
        var first = await StartWaitingAsync(id, queue);
        var second = await StartWaitingAsync(id, queue, WorkflowIdConflictPolicy.TerminateExisting);
        Assert.NotEqual(first.ResultRunId, second.ResultRunId);
        Assert.Equal(WorkflowExecutionStatus.Terminated, (await Run(first).DescribeAsync()).Status);
        Assert.Equal(WorkflowExecutionStatus.Running, (await Run(second).DescribeAsync()).Status);
        await second.TerminateAsync("test done");
    }

    [Theory]
    [InlineData(WorkflowIdReusePolicy.AllowDuplicate, true, true)]
    [InlineData(WorkflowIdReusePolicy.AllowDuplicate, false, true)]
    [InlineData(WorkflowIdReusePolicy.AllowDuplicateFailedOnly, true, false)]
    [InlineData(WorkflowIdReusePolicy.AllowDuplicateFailedOnly, false, true)]
    [InlineData(WorkflowIdReusePolicy.RejectDuplicate, true, false)]
    [InlineData(WorkflowIdReusePolicy.RejectDuplicate, false, false)]
    public async Task Reuse_policy_decides_whether_a_closed_id_starts_again(WorkflowIdReusePolicy policy, bool previousCompleted, bool allowed)
    {
        var queue = TaskQueues.Unique();
        var id = $"reuse-{policy}-{Guid.NewGuid()}";
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            if (previousCompleted)
            {
                await fixture.Client.ExecuteWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("first"), new WorkflowOptions(id, queue)).WaitAsync(s_wait);
            }
            else
            {
                var first = await StartWaitingAsync(id, queue);
                await first.TerminateAsync("make it a failed-like close");
            }

            var again = new WorkflowOptions(id, queue) { IdReusePolicy = policy };
            if (allowed)
            {
                Assert.Equal("second", await fixture.Client.ExecuteWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("second"), again).WaitAsync(s_wait));
            }
            else
            {
                await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => fixture.Client.StartWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("second"), again));
            }
        });
    }

    [Fact]
    public async Task The_same_request_id_starts_only_once()
    {
        var request = new StartWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowId = $"request-id-{Guid.NewGuid()}",
            WorkflowType = new WorkflowType { Name = nameof(WaitingWorkflow) },
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueues.Unique() },
            RequestId = Guid.NewGuid().ToString(),
            Identity = "tests",
        };
        var first = await fixture.Client.WorkflowService.StartWorkflowExecutionAsync(request);
        var retried = await fixture.Client.WorkflowService.StartWorkflowExecutionAsync(request);
        Assert.Equal(first.RunId, retried.RunId);

        var other = request.Clone();
        other.RequestId = Guid.NewGuid().ToString();
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.StartWorkflowExecutionAsync(other));
        Assert.Equal(RpcException.StatusCode.AlreadyExists, ex.Code);

        await fixture.Client.GetWorkflowHandle(request.WorkflowId).TerminateAsync("test done");
    }
}
