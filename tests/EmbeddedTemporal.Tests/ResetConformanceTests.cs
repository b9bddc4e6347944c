using EventProcessor.TestSupport;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// ResetWorkflowExecution as a real Temporal server does it: request id de-duplication, what a
/// reset run inherits (pending activities' retry expiration, pending children). Each test names the
/// server function the behaviour comes from (temporalio/temporal).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ResetConformanceTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    // Real server: resetworkflow.Invoke (service/history/api/resetworkflow/api.go) answers a reset
    // without resetting only when its request_id equals the *current* run's create request id, and
    // the workflow resetter (service/history/ndc/workflow_resetter.go, since v1.31) gives the reset
    // run the base run's original start request id. So sending the same reset request again makes
    // another run, while a reset carrying the original start request id is answered with the
    // current run.
    [Fact]
    public async Task A_reset_is_de_duplicated_only_against_the_current_runs_create_request_id()
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var id = $"reset-dedupe-{Guid.NewGuid()}";
            var startRequestId = Guid.NewGuid().ToString();
            var started = await fixture.Client.WorkflowService.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
            {
                Namespace = fixture.Namespace,
                WorkflowId = id,
                WorkflowType = new WorkflowType { Name = nameof(QuickWorkflow) },
                TaskQueue = new TaskQueue { Name = queue },
                Input = new Payloads { Payloads_ = { DataConverter.Default.PayloadConverter.ToPayload("again") } },
                RequestId = startRequestId,
            });
            var original = fixture.Client.GetWorkflowHandle(id, started.RunId);
            Assert.Equal("again", await original.GetResultAsync<string>().WaitAsync(s_wait));
            var completed = (await HistoryAssert.WellFormedAsync(original)).First(e => e.EventType == EventType.WorkflowTaskCompleted);
            var resetRequestId = Guid.NewGuid().ToString();

            var first = await ResetAsync(id, started.RunId, completed.EventId, resetRequestId);
            var second = await ResetAsync(id, started.RunId, completed.EventId, resetRequestId);

            Assert.NotEqual(started.RunId, first);
            Assert.NotEqual(first, second);
            Assert.Equal(second, (await fixture.Client.GetWorkflowHandle(id).DescribeAsync()).RunId);
            Assert.Equal("again", await fixture.Client.GetWorkflowHandle(id, second).GetResultAsync<string>().WaitAsync(s_wait));

            var answered = await ResetAsync(id, started.RunId, completed.EventId, startRequestId);

            Assert.Equal(second, answered);
            var listed = await Eventually.ValueAsync(() => ListRunIdsAsync(id), ids => ids.Count >= 3, s_wait, "the three runs listed");
            Assert.Equal([second, first, started.RunId], listed);
        });
    }

    // Real server: the frontend refuses a ResetWorkflowExecution without a request id
    // (INVALID_ARGUMENT "RequestId is not set on request.") rather than generating one: without it
    // the reset could not be de-duplicated at all.
    [Fact]
    public async Task A_reset_without_a_request_id_is_invalid()
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("x"), new WorkflowOptions($"reset-no-request-id-{Guid.NewGuid()}", queue));
            await handle.GetResultAsync<string>().WaitAsync(s_wait);
            var completed = (await HistoryAssert.WellFormedAsync(handle)).First(e => e.EventType == EventType.WorkflowTaskCompleted);

            var ex = await Assert.ThrowsAsync<RpcException>(() => ResetAsync(handle.Id, handle.ResultRunId!, completed.EventId, string.Empty));

            Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
            Assert.Contains("RequestId", ex.Message, StringComparison.Ordinal);
            Assert.Single(await ListRunIdsAsync(handle.Id));
        });
    }

    // Real server: the workflow resetter rebuilds the reset run's pending activities from the
    // copied ActivityTaskScheduled events (service/history/ndc/workflow_resetter.go with the state
    // rebuilder), so an activity pending at the reset point keeps its retry expiration, the
    // original schedule time + schedule-to-close: a reset does not give it a fresh budget.
    [Fact]
    public async Task An_activity_pending_at_the_reset_point_keeps_its_retry_expiration()
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            // Nobody polls the activity's queue, so it stays pending in both runs.
            var call = new ActivityCall("Echo", "x", StartToClose: TimeSpan.FromSeconds(5), ScheduleToClose: TimeSpan.FromHours(1), TaskQueue: TaskQueues.Unique("nobody"));
            var handle = await fixture.Client.StartWorkflowAsync((ActivityCallWorkflow wf) => wf.RunAsync(call), new WorkflowOptions($"reset-expiration-{Guid.NewGuid()}", queue));
            await Eventually.Async(
                async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.ActivityTaskScheduled),
                s_wait,
                "the activity to be scheduled");
            // A signal without a handler, only to get a second workflow task to reset to.
            await handle.SignalAsync("nudge", []);
            var secondCompleted = await Eventually.ValueAsync(
                async () => (await handle.FetchHistoryAsync()).Events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).Skip(1).FirstOrDefault(),
                e => e is not null,
                s_wait,
                "a second workflow task");
            var expiration = Assert.Single((await fixture.DescribeRawAsync(handle)).PendingActivities).ExpirationTime;
            Assert.NotNull(expiration);

            var newRunId = await ResetAsync(handle.Id, handle.ResultRunId!, secondCompleted!.EventId, Guid.NewGuid().ToString());

            var reset = fixture.Client.GetWorkflowHandle(handle.Id, newRunId);
            var pending = Assert.Single((await fixture.DescribeRawAsync(reset)).PendingActivities);
            Assert.Equal(expiration, pending.ExpirationTime);
            await reset.TerminateAsync("test done");
        });
    }

    // Real server: resetworkflow.Invoke passes AllowResetWithPendingChildren (dynamic config,
    // default true; common/dynamicconfig/constants.go) to the resetter, so a child pending at the
    // reset point does not block the reset: the child keeps running and its close is reported to
    // the reset run.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_child_pending_at_the_reset_point_is_taken_over_by_the_reset_run(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var childId = $"reset-child-{Guid.NewGuid()}";
            var parent = await fixture.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync("wait", childId), new WorkflowOptions($"reset-parent-{Guid.NewGuid()}", queue));
            // The child's started event gives the parent a second workflow task: a reset point with the child pending.
            var afterChildStarted = await Eventually.ValueAsync(
                async () =>
                {
                    var events = (await parent.FetchHistoryAsync()).Events;
                    var childStarted = events.FirstOrDefault(e => e.EventType == EventType.ChildWorkflowExecutionStarted);
                    return childStarted is null ? null : events.FirstOrDefault(e => e.EventType == EventType.WorkflowTaskCompleted && e.EventId > childStarted.EventId);
                },
                e => e is not null,
                s_wait,
                "a workflow task after the child started");
            var initiated = (await parent.FetchHistoryAsync()).Events.Single(e => e.EventType == EventType.StartChildWorkflowExecutionInitiated);

            var newRunId = await ResetAsync(parent.Id, parent.ResultRunId!, afterChildStarted!.EventId, Guid.NewGuid().ToString());

            var child = fixture.Client.GetWorkflowHandle(childId);
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running, (await child.DescribeAsync()).Status);
            await child.TerminateAsync("finish the child");
            var reset = fixture.Client.GetWorkflowHandle(parent.Id, newRunId);
            Assert.Equal("child terminated", await reset.GetResultAsync<string>().WaitAsync(s_wait));
            var resetEvents = await HistoryAssert.WellFormedAsync(reset);
            var terminated = Assert.Single(resetEvents, e => e.EventType == EventType.ChildWorkflowExecutionTerminated);
            Assert.Equal(initiated.EventId, terminated.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId);
        });
    }

    private async Task<string> ResetAsync(string workflowId, string runId, long eventId, string requestId) =>
        (await fixture.Client.WorkflowService.ResetWorkflowExecutionAsync(new ResetWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowExecution = new() { WorkflowId = workflowId, RunId = runId },
            Reason = "conformance",
            WorkflowTaskFinishEventId = eventId,
            RequestId = requestId,
        })).RunId;

    private async Task<List<string>> ListRunIdsAsync(string workflowId)
    {
        var response = await fixture.Client.WorkflowService.ListWorkflowExecutionsAsync(new ListWorkflowExecutionsRequest
        {
            Namespace = fixture.Namespace,
            Query = $"WorkflowId = '{workflowId}'",
        });
        return response.Executions.Select(e => e.Execution.RunId).ToList();
    }
}
