using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class ChildWorkflowTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(true, "complete", "child said hi", EventType.ChildWorkflowExecutionCompleted)]
    [InlineData(false, "complete", "child said hi", EventType.ChildWorkflowExecutionCompleted)]
    [InlineData(true, "fail", "child failed: Purposeful", EventType.ChildWorkflowExecutionFailed)]
    [InlineData(false, "fail", "child failed: Purposeful", EventType.ChildWorkflowExecutionFailed)]
    [InlineData(true, "cancel", "child canceled", EventType.ChildWorkflowExecutionCanceled)]
    [InlineData(false, "cancel", "child canceled", EventType.ChildWorkflowExecutionCanceled)]
    [InlineData(true, "timeout", "child timed out", EventType.ChildWorkflowExecutionTimedOut)]
    [InlineData(false, "timeout", "child timed out", EventType.ChildWorkflowExecutionTimedOut)]
    public async Task The_parent_sees_how_its_child_ended(bool cache, string mode, string expected, EventType childEvent)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var childId = $"child-{mode}-{Guid.NewGuid()}";
            var parent = await fixture.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync(mode, childId), new WorkflowOptions($"parent-{mode}-{Guid.NewGuid()}", queue));
            Assert.Equal(expected, await parent.GetResultAsync<string>().WaitAsync(s_wait));

            var events = await HistoryAssert.WellFormedAsync(parent);
            var initiated = Assert.Single(events, e => e.EventType == EventType.StartChildWorkflowExecutionInitiated);
            Assert.Equal(childId, initiated.StartChildWorkflowExecutionInitiatedEventAttributes.WorkflowId);
            var started = Assert.Single(events, e => e.EventType == EventType.ChildWorkflowExecutionStarted);
            Assert.Equal(initiated.EventId, started.ChildWorkflowExecutionStartedEventAttributes.InitiatedEventId);
            var closed = Assert.Single(events, e => e.EventType == childEvent);
            Assert.True(closed.EventId > started.EventId);
            Assert.Equal(EventType.WorkflowExecutionCompleted, events[^1].EventType);

            var child = await fixture.DescribeRawAsync(fixture.Client.GetWorkflowHandle(childId));
            Assert.Equal(parent.Id, child.WorkflowExecutionInfo.ParentExecution.WorkflowId);
            Assert.Equal(parent.ResultRunId, child.WorkflowExecutionInfo.ParentExecution.RunId);
            var childStarted = (await fixture.Client.GetWorkflowHandle(childId).FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
            Assert.Equal(parent.Id, childStarted.ParentWorkflowExecution.WorkflowId);
            Assert.Equal(initiated.EventId, childStarted.ParentInitiatedEventId);
            var listed = await Eventually.ValueAsync(
                async () => (await fixture.Client.WorkflowService.ListWorkflowExecutionsAsync(new Temporalio.Api.WorkflowService.V1.ListWorkflowExecutionsRequest
                {
                    Namespace = fixture.Namespace,
                    Query = $"ParentWorkflowId = '{parent.Id}'",
                })).Executions.Select(e => e.Execution.WorkflowId).ToList(),
                ids => ids.Count > 0,
                s_wait,
                "the child listed under its parent");
            Assert.Equal([childId], listed);
            if (mode == "cancel")
            {
                Assert.Single(events, e => e.EventType == EventType.RequestCancelExternalWorkflowExecutionInitiated);
                Assert.Single(events, e => e.EventType == EventType.ExternalWorkflowExecutionCancelRequested);
            }
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_child_terminated_from_outside_is_reported_as_terminated(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var childId = $"child-terminated-{Guid.NewGuid()}";
            var parent = await fixture.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync("wait", childId), new WorkflowOptions($"parent-wait-{Guid.NewGuid()}", queue));
            await WaitForChildStartedAsync(parent);
            await fixture.Client.GetWorkflowHandle(childId).TerminateAsync("from outside");
            Assert.Equal("child terminated", await parent.GetResultAsync<string>().WaitAsync(s_wait));
            Assert.Single(await HistoryAssert.WellFormedAsync(parent), e => e.EventType == EventType.ChildWorkflowExecutionTerminated);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_child_whose_id_is_taken_fails_to_start(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var childId = $"child-taken-{Guid.NewGuid()}";
            var squatter = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions(childId, queue));
            var parent = await fixture.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync("complete", childId), new WorkflowOptions($"parent-taken-{Guid.NewGuid()}", queue));
            Assert.Equal("child already started", await parent.GetResultAsync<string>().WaitAsync(s_wait));
            var failed = Assert.Single(await HistoryAssert.WellFormedAsync(parent), e => e.EventType == EventType.StartChildWorkflowExecutionFailed);
            Assert.Equal(StartChildWorkflowExecutionFailedCause.WorkflowAlreadyExists, failed.StartChildWorkflowExecutionFailedEventAttributes.Cause);
            await squatter.TerminateAsync("test done");
        });
    }

    [Theory]
    [InlineData(true, "terminate", WorkflowExecutionStatus.Terminated)]
    [InlineData(false, "terminate", WorkflowExecutionStatus.Terminated)]
    [InlineData(true, "request-cancel", WorkflowExecutionStatus.Canceled)]
    [InlineData(false, "request-cancel", WorkflowExecutionStatus.Canceled)]
    [InlineData(true, "abandon", WorkflowExecutionStatus.Running)]
    [InlineData(false, "abandon", WorkflowExecutionStatus.Running)]
    public async Task The_parent_close_policy_decides_the_childs_fate(bool cache, string policy, WorkflowExecutionStatus expected)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var childId = $"child-policy-{policy}-{Guid.NewGuid()}";
            var parent = await fixture.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync(policy, childId), new WorkflowOptions($"parent-policy-{Guid.NewGuid()}", queue));
            await WaitForChildStartedAsync(parent);
            var child = fixture.Client.GetWorkflowHandle(childId);
            await parent.TerminateAsync("parent goes away");
            if (expected == WorkflowExecutionStatus.Running)
            {
                // Nothing to wait for: the child of an abandoning parent just keeps running.
                Assert.Equal(WorkflowExecutionStatus.Running, (await child.DescribeAsync()).Status);
                await child.TerminateAsync("test done");
                return;
            }

            var status = await Eventually.ValueAsync(async () => (await child.DescribeAsync()).Status, s => s != WorkflowExecutionStatus.Running, s_wait, "the child to close");
            Assert.Equal(expected, status);
        });
    }

    private static Task WaitForChildStartedAsync(WorkflowHandle parent) =>
        Eventually.Async(
            async () => (await parent.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.ChildWorkflowExecutionStarted),
            s_wait,
            "the child to start");
}
