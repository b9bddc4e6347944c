using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class LifecycleTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Terminate_closes_the_workflow(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions($"terminate-{Guid.NewGuid()}", queue));
            await handle.TerminateAsync("enough");
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(s_wait));
            Assert.IsType<TerminatedFailureException>(ex.InnerException);
            var description = await handle.DescribeAsync();
            Assert.Equal(WorkflowExecutionStatus.Terminated, description.Status);
            Assert.NotNull(description.CloseTime);
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal("enough", events[^1].WorkflowExecutionTerminatedEventAttributes.Reason);
            var notRunning = await Assert.ThrowsAsync<RpcException>(() => handle.SignalAsync(wf => wf.UpsertKeywordAsync("EventType", "x")));
            Assert.Equal(RpcException.StatusCode.NotFound, notRunning.Code);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancel_request_reaches_the_workflow(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions($"cancel-{Guid.NewGuid()}", queue));
            await handle.CancelAsync();
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(s_wait));
            Assert.IsType<CanceledFailureException>(ex.InnerException);
            Assert.Equal(WorkflowExecutionStatus.Canceled, (await handle.DescribeAsync()).Status);
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(1, HistoryAssert.Count(events, EventType.WorkflowExecutionCancelRequested));
            Assert.Equal(EventType.WorkflowExecutionCanceled, events[^1].EventType);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_workflow_failure_fails_the_execution(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((FailingWorkflow wf) => wf.RunAsync(), new WorkflowOptions($"fail-{Guid.NewGuid()}", queue));
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(s_wait));
            var app = Assert.IsType<ApplicationFailureException>(ex.InnerException);
            Assert.Equal("Purposeful", app.ErrorType);
            Assert.Equal(WorkflowExecutionStatus.Failed, (await handle.DescribeAsync()).Status);
        });
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Execution_and_run_timeouts_time_the_workflow_out(bool cache, bool runTimeout)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var options = new WorkflowOptions($"timeout-{Guid.NewGuid()}", queue);
            if (runTimeout)
            {
                options.RunTimeout = TimeSpan.FromSeconds(1);
            }
            else
            {
                options.ExecutionTimeout = TimeSpan.FromSeconds(1);
            }

            var handle = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options);
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(s_wait));
            Assert.IsType<TimeoutFailureException>(ex.InnerException);
            Assert.Equal(WorkflowExecutionStatus.TimedOut, (await handle.DescribeAsync()).Status);
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(EventType.WorkflowExecutionTimedOut, events[^1].EventType);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_workflow_task_is_retried_and_only_its_first_failure_is_recorded(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (FlakyTaskWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"flaky-{Guid.NewGuid()}", queue) { TaskTimeout = TimeSpan.FromSeconds(2) });
            Assert.Equal("recovered", await handle.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(handle);
            var failed = Assert.Single(events, e => e.EventType == EventType.WorkflowTaskFailed);
            Assert.Equal(WorkflowTaskFailedCause.WorkflowWorkerUnhandledFailure, failed.WorkflowTaskFailedEventAttributes.Cause);
            var lastScheduled = events.Last(e => e.EventType == EventType.WorkflowTaskScheduled);
            Assert.Equal(3, lastScheduled.WorkflowTaskScheduledEventAttributes.Attempt);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_lost_workflow_task_times_out_and_is_handed_out_again(bool cache)
    {
        var queue = TaskQueues.Unique();
        var handle = await fixture.Client.StartWorkflowAsync(
            (QuickWorkflow wf) => wf.RunAsync("after timeout"),
            new WorkflowOptions($"task-timeout-{Guid.NewGuid()}", queue) { TaskTimeout = TimeSpan.FromSeconds(1) });

        // A poller takes the task and never answers, like a worker that died mid-task.
        var lost = await fixture.Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = fixture.Namespace,
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = queue, Kind = TaskQueueKind.Normal },
            Identity = "lost-worker",
        });
        Assert.False(lost.TaskToken.IsEmpty);

        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            Assert.Equal("after timeout", await handle.GetResultAsync<string>().WaitAsync(s_wait));
        });
        var events = await HistoryAssert.WellFormedAsync(handle);
        var timedOut = Assert.Single(events, e => e.EventType == EventType.WorkflowTaskTimedOut);
        Assert.Equal(TimeoutType.StartToClose, timedOut.WorkflowTaskTimedOutEventAttributes.TimeoutType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Describe_reports_status_times_memo_search_attributes_and_metadata(bool cache)
    {
        var queue = TaskQueues.Unique();
        var eventType = SearchAttributeKey.CreateKeyword("EventType");
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (WaitingWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"describe-{Guid.NewGuid()}", queue)
                {
                    Memo = new Dictionary<string, object> { ["owner"] = "tests" },
                    TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(eventType, "issue.created").ToSearchAttributeCollection(),
                    StaticSummary = "a summary",
                    StaticDetails = "some details",
                    ExecutionTimeout = TimeSpan.FromMinutes(5),
                });
            var description = await handle.DescribeAsync();
            Assert.Equal(WorkflowExecutionStatus.Running, description.Status);
            Assert.Equal(nameof(WaitingWorkflow), description.WorkflowType);
            Assert.Equal(queue, description.TaskQueue);
            Assert.Null(description.CloseTime);
            Assert.Equal("tests", await description.Memo["owner"].ToValueAsync<string>());
            Assert.Equal("issue.created", description.TypedSearchAttributes.Get(eventType));
            Assert.Equal("a summary", await description.GetStaticSummaryAsync());
            Assert.Equal("some details", await description.GetStaticDetailsAsync());
            var raw = await fixture.DescribeRawAsync(handle);
            Assert.Equal(TimeSpan.FromMinutes(5), raw.ExecutionConfig.WorkflowExecutionTimeout.ToTimeSpan());
            await handle.TerminateAsync("test done");
            Assert.NotNull((await handle.DescribeAsync()).CloseTime);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Markers_and_memo_upserts_are_recorded(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (WaitingWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"memo-{Guid.NewGuid()}", queue) { Memo = new Dictionary<string, object> { ["keep"] = "k", ["drop"] = "d" } });
            await handle.SignalAsync(wf => wf.UpsertMemoAsync("added", "a"));
            await handle.SignalAsync(wf => wf.UpsertMemoAsync("drop", null));
            var description = await Eventually.ValueAsync(
                () => handle.DescribeAsync(),
                d => d.Memo.ContainsKey("added") && !d.Memo.ContainsKey("drop"),
                s_wait,
                "the memo upserts");
            Assert.Equal("k", await description.Memo["keep"].ToValueAsync<string>());
            Assert.Equal("a", await description.Memo["added"].ToValueAsync<string>());
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(1, HistoryAssert.Count(events, EventType.MarkerRecorded));
            Assert.True(HistoryAssert.Count(events, EventType.WorkflowPropertiesModified) >= 1);
            await handle.TerminateAsync("test done");
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_workflow_retry_policy_starts_new_runs_until_one_succeeds(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (RetriedWorkflow wf) => wf.RunAsync(3),
                new WorkflowOptions($"workflow-retry-{Guid.NewGuid()}", queue)
                {
                    RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumAttempts = 5 },
                });
            Assert.Equal("attempt 3", await handle.GetResultAsync<string>().WaitAsync(s_wait));

            var firstRun = fixture.Client.GetWorkflowHandle(handle.Id, runId: handle.ResultRunId);
            var first = await HistoryAssert.WellFormedAsync(firstRun);
            var failed = first[^1].WorkflowExecutionFailedEventAttributes;
            Assert.Equal(RetryState.InProgress, failed.RetryState);
            Assert.NotEmpty(failed.NewExecutionRunId);

            var last = await HistoryAssert.WellFormedAsync(fixture.Client.GetWorkflowHandle(handle.Id));
            var started = last[0].WorkflowExecutionStartedEventAttributes;
            Assert.Equal(3, started.Attempt);
            Assert.Equal(handle.ResultRunId, started.FirstExecutionRunId);
            Assert.Equal(EventType.WorkflowExecutionCompleted, last[^1].EventType);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_workflow_retry_policy_stops_at_maximum_attempts(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (RetriedWorkflow wf) => wf.RunAsync(100),
                new WorkflowOptions($"workflow-retry-max-{Guid.NewGuid()}", queue)
                {
                    RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumAttempts = 2 },
                });
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(s_wait));
            Assert.Contains("failing attempt 2", ex.InnerException?.Message, StringComparison.Ordinal);
            var last = await HistoryAssert.WellFormedAsync(fixture.Client.GetWorkflowHandle(handle.Id));
            Assert.Equal(RetryState.MaximumAttemptsReached, last[^1].WorkflowExecutionFailedEventAttributes.RetryState);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_timeout_is_retried_by_the_workflow_retry_policy(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (WaitingWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"run-timeout-retry-{Guid.NewGuid()}", queue)
                {
                    RunTimeout = TimeSpan.FromMilliseconds(700),
                    RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumAttempts = 2 },
                });
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(s_wait));
            Assert.IsType<TimeoutFailureException>(ex.InnerException);

            var first = await HistoryAssert.WellFormedAsync(fixture.Client.GetWorkflowHandle(handle.Id, runId: handle.ResultRunId));
            Assert.Equal(RetryState.InProgress, first[^1].WorkflowExecutionTimedOutEventAttributes.RetryState);
            var last = await HistoryAssert.WellFormedAsync(fixture.Client.GetWorkflowHandle(handle.Id));
            Assert.Equal(2, last[0].WorkflowExecutionStartedEventAttributes.Attempt);
            Assert.Equal(RetryState.MaximumAttemptsReached, last[^1].WorkflowExecutionTimedOutEventAttributes.RetryState);
        });
    }
}
