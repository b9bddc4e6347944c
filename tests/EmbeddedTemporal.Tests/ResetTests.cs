using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class ResetTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_run_reset_to_its_first_workflow_task_completes(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"reset-failed-{Guid.NewGuid()}";
            var handle = await fixture.Client.StartWorkflowAsync((FailUntilResetWorkflow wf) => wf.RunAsync(), new WorkflowOptions(id, queue));
            await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(s_wait));
            var baseEvents = await HistoryAssert.WellFormedAsync(handle);
            var completed = baseEvents.First(e => e.EventType == EventType.WorkflowTaskCompleted);

            var newRunId = await ResetAsync(handle, completed.EventId, "fixed the bug");

            Assert.NotEqual(handle.ResultRunId, newRunId);
            var reset = fixture.Client.GetWorkflowHandle(id, newRunId);
            Assert.Equal("recovered after reset", await reset.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(reset);
            Assert.Equal(baseEvents.Take((int)completed.EventId - 1).Select(e => e.EventType), events.Take((int)completed.EventId - 1).Select(e => e.EventType));
            var failed = events[(int)completed.EventId - 1];
            Assert.Equal(EventType.WorkflowTaskFailed, failed.EventType);
            Assert.Equal(WorkflowTaskFailedCause.ResetWorkflow, failed.WorkflowTaskFailedEventAttributes.Cause);
            Assert.Equal("fixed the bug", failed.WorkflowTaskFailedEventAttributes.Failure.Message);
            Assert.Equal(handle.ResultRunId, failed.WorkflowTaskFailedEventAttributes.BaseRunId);
            Assert.Equal(newRunId, failed.WorkflowTaskFailedEventAttributes.NewRunId);
            Assert.Equal(EventType.WorkflowExecutionCompleted, events[^1].EventType);

            var current = await fixture.Client.GetWorkflowHandle(id).DescribeAsync();
            Assert.Equal(newRunId, current.RunId);
            Assert.Equal(WorkflowExecutionStatus.Completed, current.Status);
            Assert.Equal(WorkflowExecutionStatus.Failed, (await fixture.Client.GetWorkflowHandle(id, handle.ResultRunId).DescribeAsync()).Status);
            var listed = await Eventually.ValueAsync(
                () => ListRunIdsAsync(id),
                ids => ids.Count == 2,
                s_wait,
                "both runs listed");
            Assert.Equal([newRunId, handle.ResultRunId!], listed);
        });
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task A_running_run_is_terminated_and_its_signals_reapplied_unless_excluded(bool cache, bool excludeSignals)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"reset-running-{Guid.NewGuid()}";
            var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new WorkflowOptions(id, queue));
            // Signals after the reset point only: the first workflow task completes before them.
            await Eventually.Async(
                async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.WorkflowTaskCompleted),
                s_wait,
                "the first workflow task to complete");
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            await Eventually.Async(async () => (await handle.QueryAsync(wf => wf.Items)).Count == 2, s_wait, "both signals handled");
            var baseEvents = await HistoryAssert.WellFormedAsync(handle);
            var firstCompleted = baseEvents.First(e => e.EventType == EventType.WorkflowTaskCompleted);

            var request = new ResetWorkflowExecutionRequest
            {
                Namespace = fixture.Namespace,
                WorkflowExecution = new() { WorkflowId = id, RunId = handle.ResultRunId },
                Reason = "replay the signals",
                WorkflowTaskFinishEventId = firstCompleted.EventId,
                RequestId = Guid.NewGuid().ToString(),
            };
            if (excludeSignals)
            {
                request.ResetReapplyExcludeTypes.Add(ResetReapplyExcludeType.Signal);
            }

            var newRunId = (await fixture.Client.WorkflowService.ResetWorkflowExecutionAsync(request)).RunId;

            var baseRun = fixture.Client.GetWorkflowHandle(id, handle.ResultRunId);
            Assert.Equal(WorkflowExecutionStatus.Terminated, (await baseRun.DescribeAsync()).Status);
            var oldEvents = await HistoryAssert.WellFormedAsync(baseRun);
            Assert.Equal("replay the signals", oldEvents[^1].WorkflowExecutionTerminatedEventAttributes.Reason);

            var latest = fixture.Client.GetWorkflowHandle<SignalQueryWorkflow>(id);
            Assert.Equal(newRunId, (await latest.DescribeAsync()).RunId);
            await latest.SignalAsync(wf => wf.AddAsync("done"));
            var result = await fixture.Client.GetWorkflowHandle(id, newRunId).GetResultAsync<string>().WaitAsync(s_wait);
            Assert.Equal(excludeSignals ? "done" : "a,b,done", result);

            var events = await HistoryAssert.WellFormedAsync(fixture.Client.GetWorkflowHandle(id, newRunId));
            var failedIndex = events.ToList().FindIndex(e => e.EventType == EventType.WorkflowTaskFailed);
            Assert.Equal(firstCompleted.EventId, events[failedIndex].EventId);
            var reapplied = events.Skip(failedIndex + 1).TakeWhile(e => e.EventType == EventType.WorkflowExecutionSignaled).ToList();
            Assert.Equal(excludeSignals ? 0 : 2, reapplied.Count);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_timer_started_before_the_reset_point_still_fires_in_the_new_run(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"reset-timer-{Guid.NewGuid()}";
            var handle = await fixture.Client.StartWorkflowAsync(
                (TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromSeconds(2), false),
                new WorkflowOptions(id, queue));
            await Eventually.Async(
                async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.TimerStarted),
                s_wait,
                "the timer to start");
            // A signal the workflow ignores, only to get a second workflow task to reset to.
            await handle.SignalAsync(wf => wf.CancelTimerAsync());
            var secondCompleted = await Eventually.ValueAsync(
                async () => (await handle.FetchHistoryAsync()).Events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).Skip(1).FirstOrDefault(),
                e => e is not null,
                s_wait,
                "a second workflow task");

            var newRunId = await ResetAsync(handle, secondCompleted!.EventId, "keep the timer");

            var reset = fixture.Client.GetWorkflowHandle(id, newRunId);
            var result = await reset.GetResultAsync<string>().WaitAsync(s_wait);
            var events = await HistoryAssert.WellFormedAsync(reset);
            Assert.True(result == "fired", $"{result}: " + string.Join(", ", events.Select(e => $"{e.EventId} {e.EventType} {e.EventTime.ToDateTime():HH:mm:ss.fff}")));
            var started = Assert.Single(events, e => e.EventType == EventType.TimerStarted);
            Assert.True(started.EventId < secondCompleted.EventId);
            var fired = Assert.Single(events, e => e.EventType == EventType.TimerFired);
            Assert.Equal(started.EventId, fired.TimerFiredEventAttributes.StartedEventId);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_activity_pending_at_the_reset_point_is_scheduled_again_in_the_new_run(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"reset-activity-{Guid.NewGuid()}";
            var gate = Guid.NewGuid().ToString();
            var call = new ActivityCall("WaitForGate", gate, StartToClose: TimeSpan.FromSeconds(30), MaximumAttempts: 1);
            var handle = await fixture.Client.StartWorkflowAsync((ActivityCallWorkflow wf) => wf.RunAsync(call), new WorkflowOptions(id, queue));
            await Eventually.Async(() => !activities.Attempts.IsEmpty, s_wait, "the activity to start");
            // A signal without a handler, only to get a second workflow task to reset to.
            await handle.SignalAsync("nudge", []);
            var secondCompleted = await Eventually.ValueAsync(
                async () => (await handle.FetchHistoryAsync()).Events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).Skip(1).FirstOrDefault(),
                e => e is not null,
                s_wait,
                "a second workflow task");

            var newRunId = await ResetAsync(handle, secondCompleted!.EventId, "rerun the activity");
            await Eventually.Async(() => activities.Attempts.Count >= 2, s_wait, "the activity to start again in the new run");
            Gates.Open(gate);

            var reset = fixture.Client.GetWorkflowHandle(id, newRunId);
            var outcome = await reset.GetResultAsync<ActivityOutcome>().WaitAsync(s_wait);
            Assert.Equal("opened", outcome.Result);
            var events = await HistoryAssert.WellFormedAsync(reset);
            var scheduled = Assert.Single(events, e => e.EventType == EventType.ActivityTaskScheduled);
            Assert.True(scheduled.EventId < secondCompleted.EventId);
            var completed = Assert.Single(events, e => e.EventType == EventType.ActivityTaskCompleted);
            Assert.Equal(scheduled.EventId, completed.ActivityTaskCompletedEventAttributes.ScheduledEventId);
            Assert.Equal(1, events.Single(e => e.EventType == EventType.ActivityTaskStarted).ActivityTaskStartedEventAttributes.Attempt);
        }, activities);
    }

    [Theory]
    [InlineData(true, EventType.WorkflowTaskStarted)]
    [InlineData(false, EventType.WorkflowTaskStarted)]
    [InlineData(true, EventType.WorkflowTaskFailed)]
    [InlineData(true, EventType.WorkflowTaskCompleted)]
    [InlineData(false, EventType.WorkflowTaskCompleted)]
    public async Task Each_kind_of_workflow_task_event_is_a_reset_point(bool cache, EventType kind)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"reset-kind-{Guid.NewGuid()}";
            var options = new WorkflowOptions(id, queue) { TaskTimeout = TimeSpan.FromSeconds(2) };
            // Only a flaky workflow has a failed workflow task in its history; it costs the SDK's retry delay, so only that kind uses it.
            WorkflowHandle handle = kind == EventType.WorkflowTaskFailed
                ? await fixture.Client.StartWorkflowAsync((FlakyTaskWorkflow wf) => wf.RunAsync(), options)
                : await fixture.Client.StartWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("recovered"), options);
            Assert.Equal("recovered", await handle.GetResultAsync<string>().WaitAsync(s_wait));
            var point = (await HistoryAssert.WellFormedAsync(handle)).First(e => e.EventType == kind);

            var newRunId = await ResetAsync(handle, point.EventId, $"reset to {kind}");

            var reset = fixture.Client.GetWorkflowHandle(id, newRunId);
            Assert.Equal("recovered", await reset.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(reset);
            var failed = events.First(e => e.EventType == EventType.WorkflowTaskFailed
                && e.WorkflowTaskFailedEventAttributes.Cause == WorkflowTaskFailedCause.ResetWorkflow);
            // A reset to a started task keeps that task's started event; either way the failed task follows its started event.
            Assert.Equal(kind == EventType.WorkflowTaskStarted ? point.EventId + 1 : point.EventId, failed.EventId);
            Assert.Equal(EventType.WorkflowTaskStarted, events[(int)failed.EventId - 2].EventType);
            Assert.Equal(events[(int)failed.EventId - 2].EventId, failed.WorkflowTaskFailedEventAttributes.StartedEventId);
        });
    }

    [Fact]
    public async Task A_reset_point_that_is_not_a_workflow_task_is_rejected()
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("x"), new WorkflowOptions($"reset-invalid-{Guid.NewGuid()}", queue));
            await handle.GetResultAsync<string>().WaitAsync(s_wait);
            var events = await HistoryAssert.WellFormedAsync(handle);
            foreach (var eventId in new long[] { 1, events[^1].EventId, events[^1].EventId + 5 })
            {
                var ex = await Assert.ThrowsAsync<RpcException>(() => ResetAsync(handle, eventId, "bad point"));
                Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
            }
        });
    }

    private async Task<string> ResetAsync(WorkflowHandle handle, long eventId, string reason) =>
        (await fixture.Client.WorkflowService.ResetWorkflowExecutionAsync(new ResetWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowExecution = new() { WorkflowId = handle.Id, RunId = handle.ResultRunId ?? string.Empty },
            Reason = reason,
            WorkflowTaskFinishEventId = eventId,
            RequestId = Guid.NewGuid().ToString(),
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
