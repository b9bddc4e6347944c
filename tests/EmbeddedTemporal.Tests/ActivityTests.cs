using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class ActivityTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private async Task<(ActivityOutcome Outcome, WorkflowHandle Handle)> RunAsync(string queue, ActivityCall call)
    {
        var handle = await fixture.Client.StartWorkflowAsync(
            (ActivityCallWorkflow wf) => wf.RunAsync(call),
            new WorkflowOptions($"activity-{Guid.NewGuid()}", queue));
        var outcome = await handle.GetResultAsync<ActivityOutcome>().WaitAsync(s_wait);
        return (outcome, handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Retries_are_invisible_in_history_and_the_last_attempt_records_attempt_and_last_failure(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, handle) = await RunAsync(queue, new ActivityCall("FailTimes", 2, StartToClose: TimeSpan.FromSeconds(5), MaximumAttempts: 5));
            Assert.Equal("succeeded on attempt 3", outcome.Result);
            var events = await HistoryAssert.WellFormedAsync(handle);
            var started = Assert.Single(events, e => e.EventType == EventType.ActivityTaskStarted);
            Assert.Equal(3, started.ActivityTaskStartedEventAttributes.Attempt);
            Assert.Contains("attempt 2", started.ActivityTaskStartedEventAttributes.LastFailure.Message, StringComparison.Ordinal);
            var completed = Assert.Single(events, e => e.EventType == EventType.ActivityTaskCompleted);
            Assert.Equal(started.EventId, completed.ActivityTaskCompletedEventAttributes.StartedEventId);
        }, activities);
        Assert.Equal([1, 2, 3], activities.Attempts.Select(a => a.Attempt));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_non_retryable_error_type_stops_retries(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, handle) = await RunAsync(queue, new ActivityCall(
                "FailPermanently", StartToClose: TimeSpan.FromSeconds(5), MaximumAttempts: 5, NonRetryableErrorTypes: [nameof(PermanentBusinessException)]));
            Assert.Equal("application", outcome.FailureKind);
            Assert.Equal(nameof(PermanentBusinessException), outcome.ErrorType);
            Assert.Equal(RetryState.NonRetryableFailure, outcome.RetryState);
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(1, HistoryAssert.Count(events, EventType.ActivityTaskFailed));
        }, activities);
        Assert.Single(activities.Attempts);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Maximum_attempts_stops_retries(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall("FailTimes", 100, StartToClose: TimeSpan.FromSeconds(5), MaximumAttempts: 3));
            Assert.Equal("application", outcome.FailureKind);
            Assert.Equal(RetryState.MaximumAttemptsReached, outcome.RetryState);
        }, activities);
        Assert.Equal([1, 2, 3], activities.Attempts.Select(a => a.Attempt));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failures_next_retry_delay_overrides_the_retry_policy(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall(
                "FailWithNextRetryDelay", 800, StartToClose: TimeSpan.FromSeconds(5), MaximumAttempts: 3, InitialInterval: TimeSpan.FromMilliseconds(50)));
            Assert.Equal("done after delay", outcome.Result);
        }, activities);
        var attempts = activities.Attempts.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(700), $"retried after {attempts[1].At - attempts[0].At}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Start_to_close_timeout_is_retried_then_reported(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, handle) = await RunAsync(queue, new ActivityCall("Hang", StartToClose: TimeSpan.FromMilliseconds(500), MaximumAttempts: 2));
            Assert.Equal("timeout", outcome.FailureKind);
            Assert.Equal(TimeoutType.StartToClose, outcome.TimeoutType);
            Assert.Equal(RetryState.MaximumAttemptsReached, outcome.RetryState);
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(1, HistoryAssert.Count(events, EventType.ActivityTaskTimedOut));
        }, activities);
        Assert.Equal(2, activities.Attempts.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Schedule_to_start_timeout_fires_when_nobody_polls_the_queue(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall(
                "Echo", "x", StartToClose: TimeSpan.FromSeconds(5), ScheduleToStart: TimeSpan.FromMilliseconds(500), TaskQueue: TaskQueues.Unique("nobody")));
            Assert.Equal("timeout", outcome.FailureKind);
            Assert.Equal(TimeoutType.ScheduleToStart, outcome.TimeoutType);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Schedule_to_close_timeout_bounds_all_attempts(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall(
                "Hang", StartToClose: TimeSpan.FromMilliseconds(400), ScheduleToClose: TimeSpan.FromMilliseconds(1500)));
            Assert.Equal("timeout", outcome.FailureKind);
            Assert.True(
                outcome.TimeoutType == TimeoutType.ScheduleToClose || outcome.RetryState == RetryState.Timeout,
                $"timeout {outcome.TimeoutType}, retry state {outcome.RetryState}");
        }, activities);
        Assert.InRange(activities.Attempts.Count, 2, 4);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Heartbeat_timeout_retries_and_hands_the_last_details_to_the_next_attempt(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall(
                "HeartbeatOnceThenHang", StartToClose: TimeSpan.FromSeconds(10), Heartbeat: TimeSpan.FromMilliseconds(600), MaximumAttempts: 2));
            Assert.Equal("attempt 2 saw progress-42", outcome.Result);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Heartbeat_timeout_is_reported_when_attempts_run_out(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall(
                "Hang", StartToClose: TimeSpan.FromSeconds(10), Heartbeat: TimeSpan.FromMilliseconds(400), MaximumAttempts: 1));
            Assert.Equal("timeout", outcome.FailureKind);
            Assert.Equal(TimeoutType.Heartbeat, outcome.TimeoutType);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancelling_a_running_activity_reaches_it_through_heartbeats(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (CancelActivityWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"cancel-activity-{Guid.NewGuid()}", queue));
            await Eventually.Async(() => !activities.Attempts.IsEmpty, s_wait, "the activity to start");
            await handle.SignalAsync(wf => wf.CancelActivityAsync());
            Assert.Equal("activity canceled", await handle.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(1, HistoryAssert.Count(events, EventType.ActivityTaskCancelRequested));
            Assert.Equal(1, HistoryAssert.Count(events, EventType.ActivityTaskCanceled));
        }, activities);
        Assert.Equal("CancelRequested", Assert.Single(activities.CancelledWith));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Describe_shows_pending_activity_attempt_and_last_failure(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var call = new ActivityCall("FailTimes", 1000, StartToClose: TimeSpan.FromSeconds(5), InitialInterval: TimeSpan.FromMilliseconds(200));
            var handle = await fixture.Client.StartWorkflowAsync(
                (ActivityCallWorkflow wf) => wf.RunAsync(call),
                new WorkflowOptions($"describe-activity-{Guid.NewGuid()}", queue));
            var description = await Eventually.ValueAsync(
                () => fixture.DescribeRawAsync(handle),
                d => d.PendingActivities.Count == 1 && d.PendingActivities[0].Attempt >= 2,
                s_wait,
                "a retried pending activity");
            var pending = description.PendingActivities[0];
            Assert.Equal("FailTimes", pending.ActivityType.Name);
            Assert.Contains("transient failure", pending.LastFailure.Message, StringComparison.Ordinal);
            Assert.Equal(WorkflowExecutionStatus.Running, description.WorkflowExecutionInfo.Status);
            await handle.TerminateAsync("test done");
        });
    }
}
