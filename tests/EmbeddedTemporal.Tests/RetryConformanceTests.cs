using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Server-side activity retries as a real Temporal server decides them. Each test names the
/// server function the behaviour comes from (temporalio/temporal).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class RetryConformanceTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    private async Task<(ActivityOutcome Outcome, WorkflowHandle Handle)> RunAsync(string queue, ActivityCall call)
    {
        var handle = await fixture.Client.StartWorkflowAsync(
            (ActivityCallWorkflow wf) => wf.RunAsync(call),
            new WorkflowOptions($"retry-conformance-{Guid.NewGuid()}", queue));
        var outcome = await handle.GetResultAsync<ActivityOutcome>().WaitAsync(s_wait);
        return (outcome, handle);
    }

    // Real server: MutableStateImpl.RetryActivity (service/history/workflow/mutable_state_impl.go)
    // replaces the retry policy's maximum interval with the failure's next_retry_delay, and
    // nextBackoffInterval (service/history/workflow/retry.go) answers RETRY_STATE_TIMEOUT when both
    // the interval and the maximum are 0. A zero delay therefore ends the retries at once.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_zero_next_retry_delay_ends_the_retries_with_retry_state_timeout(bool cache)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var (outcome, handle) = await RunAsync(queue, new ActivityCall(
                "FailWithNextRetryDelay", 0, StartToClose: TimeSpan.FromSeconds(5), MaximumAttempts: 5));

            Assert.Equal("application", outcome.FailureKind);
            Assert.Equal("RateLimited", outcome.ErrorType);
            Assert.Equal(RetryState.Timeout, outcome.RetryState);
            var events = await HistoryAssert.WellFormedAsync(handle);
            var failed = Assert.Single(events, e => e.EventType == EventType.ActivityTaskFailed);
            Assert.Equal(RetryState.Timeout, failed.ActivityTaskFailedEventAttributes.RetryState);
        }, activities);
        Assert.Single(activities.Attempts);
    }

    // Real server: the same replacement in RetryActivity means a positive next_retry_delay is used
    // as is, even when it is longer than the policy's maximum interval (it is not capped by it).
    // The server's own figures show it: the next attempt is scheduled a full delay after the failed
    // one completed (PendingActivityInfo next_attempt_schedule_time and last_attempt_complete_time).
    [Fact]
    public async Task A_next_retry_delay_longer_than_the_maximum_interval_is_not_capped()
    {
        var queue = TaskQueues.Unique();
        var delay = TimeSpan.FromSeconds(60);
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var call = new ActivityCall(
                "FailWithNextRetryDelay", (int)delay.TotalMilliseconds, StartToClose: TimeSpan.FromSeconds(5), MaximumAttempts: 3,
                InitialInterval: TimeSpan.FromMilliseconds(100), MaximumInterval: TimeSpan.FromSeconds(1));
            var handle = await fixture.Client.StartWorkflowAsync(
                (ActivityCallWorkflow wf) => wf.RunAsync(call),
                new WorkflowOptions($"retry-uncapped-{Guid.NewGuid()}", queue));
            var pending = await Eventually.ValueAsync(
                async () => (await fixture.DescribeRawAsync(handle)).PendingActivities.FirstOrDefault(),
                p => p is { Attempt: 2, NextAttemptScheduleTime: not null, LastAttemptCompleteTime: not null },
                s_wait,
                "the activity waiting for its second attempt");

            var backoff = pending!.NextAttemptScheduleTime.ToDateTimeOffset() - pending.LastAttemptCompleteTime.ToDateTimeOffset();
            Assert.True(backoff > TimeSpan.FromSeconds(30), $"next attempt {backoff} after the failure; the maximum interval is 1 s, the delay 60 s");
            await handle.TerminateAsync("test done");
        });
    }

    // Real server: processSingleActivityTimeoutTask (service/history/timer_queue_active_task_executor.go)
    // retries a start-to-close or heartbeat timeout through RetryActivity; when the next attempt
    // would start after the retry expiration (schedule time + schedule-to-close), RetryActivity
    // answers RETRY_STATE_TIMEOUT and the event reports a SCHEDULE_TO_CLOSE timeout.
    [Theory]
    [InlineData(true, TimeoutType.StartToClose)]
    [InlineData(false, TimeoutType.StartToClose)]
    [InlineData(true, TimeoutType.Heartbeat)]
    public async Task A_timeout_whose_retry_would_pass_the_schedule_to_close_deadline_is_reported_as_schedule_to_close(bool cache, TimeoutType kind)
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            // The attempt times out after 1 s; the next one would start 30 s later, past the 10 s deadline.
            var call = kind == TimeoutType.StartToClose
                ? new ActivityCall("Hang", StartToClose: TimeSpan.FromSeconds(1), ScheduleToClose: TimeSpan.FromSeconds(10), InitialInterval: TimeSpan.FromSeconds(30))
                : new ActivityCall("Hang", StartToClose: TimeSpan.FromSeconds(9), Heartbeat: TimeSpan.FromSeconds(1), ScheduleToClose: TimeSpan.FromSeconds(10), InitialInterval: TimeSpan.FromSeconds(30));
            var (outcome, handle) = await RunAsync(queue, call);

            Assert.Equal("timeout", outcome.FailureKind);
            Assert.Equal(TimeoutType.ScheduleToClose, outcome.TimeoutType);
            Assert.Equal(RetryState.Timeout, outcome.RetryState);
            var events = await HistoryAssert.WellFormedAsync(handle);
            var timedOut = Assert.Single(events, e => e.EventType == EventType.ActivityTaskTimedOut).ActivityTaskTimedOutEventAttributes;
            Assert.Equal(TimeoutType.ScheduleToClose, timedOut.Failure.TimeoutFailureInfo.TimeoutType);
            Assert.Equal(RetryState.Timeout, timedOut.RetryState);
        }, activities);
        Assert.Single(activities.Attempts);
    }

    // Real server: an application failure whose retry would start after the retry expiration is
    // recorded as it is (ActivityTaskFailed, RespondActivityTaskFailed through RetryActivity) with
    // RETRY_STATE_TIMEOUT; only timeouts are rewritten to SCHEDULE_TO_CLOSE.
    [Fact]
    public async Task A_failure_whose_retry_would_pass_the_schedule_to_close_deadline_fails_with_retry_state_timeout()
    {
        var queue = TaskQueues.Unique();
        var activities = new TestActivities();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var (outcome, _) = await RunAsync(queue, new ActivityCall(
                "FailTimes", 100, StartToClose: TimeSpan.FromSeconds(5), ScheduleToClose: TimeSpan.FromSeconds(10), InitialInterval: TimeSpan.FromSeconds(30)));

            Assert.Equal("application", outcome.FailureKind);
            Assert.Equal(RetryState.Timeout, outcome.RetryState);
        }, activities);
        Assert.Single(activities.Attempts);
    }

    // Real server: a schedule-to-start timeout goes through RetryActivity too, where isRetryable
    // (service/history/workflow/retry.go) retries only start-to-close and heartbeat timeouts, so
    // the activity closes at once: SCHEDULE_TO_START timeout, RETRY_STATE_NON_RETRYABLE_FAILURE.
    [Fact]
    public async Task A_schedule_to_start_timeout_is_not_retried()
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            var (outcome, handle) = await RunAsync(queue, new ActivityCall(
                "Echo", "x", StartToClose: TimeSpan.FromSeconds(5), ScheduleToStart: TimeSpan.FromSeconds(1), MaximumAttempts: 5, TaskQueue: TaskQueues.Unique("nobody")));

            Assert.Equal("timeout", outcome.FailureKind);
            Assert.Equal(TimeoutType.ScheduleToStart, outcome.TimeoutType);
            Assert.Equal(RetryState.NonRetryableFailure, outcome.RetryState);
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(0, HistoryAssert.Count(events, EventType.ActivityTaskStarted));
        });
    }
}
