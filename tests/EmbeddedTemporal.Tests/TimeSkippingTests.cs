using EventProcessor.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TestService.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Time skipping as Temporal's Java test server does it (temporal-test-server: TestService,
/// SelfAdvancingTimerImpl, TestWorkflowMutableStateImpl, which locks time from a workflow task's or
/// an activity's scheduling until it is done): while skipping is unlocked and no task is
/// outstanding, the clock jumps to the next timer; otherwise it runs at wall speed. Clients
/// unlock it only while waiting for a result (Temporalio.Testing.WorkflowEnvironment). The
/// durations below would take hours unskipped; each wait is guarded so a clock that does not skip
/// fails the test instead of hanging it.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class TimeSkippingTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [TimeSkippingFact]
    public async Task A_timer_fires_once_its_whole_duration_is_skipped()
    {
        var env = await fixture.TimeSkippingAsync();
        await RunWorkerAsync(env, async queue =>
        {
            var before = await env.GetCurrentTimeAsync();
            var handle = await env.Client.StartWorkflowAsync(
                (TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(6), false),
                new WorkflowOptions($"skip-timer-{Guid.NewGuid()}", queue));

            Assert.Equal("fired", await handle.GetResultAsync<string>().WaitAsync(Guard));

            var events = await HistoryAssert.WellFormedAsync(handle);
            var started = Assert.Single(events, e => e.EventType == EventType.TimerStarted);
            var fired = Assert.Single(events, e => e.EventType == EventType.TimerFired);
            Assert.True(fired.EventTime.ToDateTime() - started.EventTime.ToDateTime() >= TimeSpan.FromHours(6), "the timer fired before its time on the server's clock");
            Assert.True(await env.GetCurrentTimeAsync() - before >= TimeSpan.FromHours(6), "the server's clock did not move on by the skipped time");

            // Visibility reads the same clock.
            var description = await handle.DescribeAsync();
            Assert.True(description.CloseTime - description.StartTime >= TimeSpan.FromHours(6), "visibility's close time is not on the server's clock");
        });
    }

    [TimeSkippingFact]
    public async Task Time_does_not_skip_while_an_activity_task_is_outstanding()
    {
        var env = await fixture.TimeSkippingAsync();
        var gate = $"gate-{Guid.NewGuid()}";
        await RunWorkerAsync(env, async queue =>
        {
            var handle = await env.Client.StartWorkflowAsync(
                (ActivityOrTimerWorkflow wf) => wf.RunAsync(gate, TimeSpan.FromHours(1)),
                new WorkflowOptions($"skip-activity-{Guid.NewGuid()}", queue));
            var started = await env.GetCurrentTimeAsync();

            // Unlocked, as while a client waits for a result; the running activity must hold the clock.
            var result = handle.GetResultAsync<string>();
            await Gates.Get(gate + ":entered").Task.WaitAsync(Guard);
            Assert.True(await env.GetCurrentTimeAsync() - started < TimeSpan.FromHours(1), "time skipped past the timer while the activity was running");
            Gates.Open(gate);

            Assert.Equal("activity", await result.WaitAsync(Guard));
        });
    }

    [TimeSkippingFact]
    public async Task A_start_to_close_timeout_after_a_skip_fires_on_the_servers_clock_and_the_retry_backoff_is_skipped()
    {
        var env = await fixture.TimeSkippingAsync();
        await RunWorkerAsync(env, async queue =>
        {
            var handle = await env.Client.StartWorkflowAsync(
                (TimeoutAfterSleepWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(3), false, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(30)),
                new WorkflowOptions($"skip-stc-{Guid.NewGuid()}", queue));

            Assert.Equal("attempt 2", await handle.GetResultAsync<string>().WaitAsync(Guard));

            var events = await HistoryAssert.WellFormedAsync(handle);
            var (scheduled, retried) = LastAttempt(events);
            Assert.Equal(2, retried.ActivityTaskStartedEventAttributes.Attempt);
            Assert.Equal(TimeoutType.StartToClose, retried.ActivityTaskStartedEventAttributes.LastFailure.TimeoutFailureInfo.TimeoutType);
            // Attempt 1 ran at least its 2 s start-to-close, then the 30 min backoff was skipped.
            Assert.True(retried.EventTime.ToDateTime() - scheduled.EventTime.ToDateTime() >= TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(2));
        });
    }

    [TimeSkippingFact]
    public async Task A_heartbeat_timeout_after_a_skip_fires_on_the_servers_clock()
    {
        var env = await fixture.TimeSkippingAsync();
        await RunWorkerAsync(env, async queue =>
        {
            var handle = await env.Client.StartWorkflowAsync(
                (TimeoutAfterSleepWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(3), true, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)),
                new WorkflowOptions($"skip-heartbeat-{Guid.NewGuid()}", queue));

            Assert.Equal("attempt 2", await handle.GetResultAsync<string>().WaitAsync(Guard));

            var events = await HistoryAssert.WellFormedAsync(handle);
            var (scheduled, retried) = LastAttempt(events);
            Assert.Equal(TimeoutType.Heartbeat, retried.ActivityTaskStartedEventAttributes.LastFailure.TimeoutFailureInfo.TimeoutType);
            Assert.True(retried.EventTime.ToDateTime() - scheduled.EventTime.ToDateTime() >= TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1));
            var timerStarted = Assert.Single(events, e => e.EventType == EventType.TimerStarted);
            Assert.True(scheduled.EventTime.ToDateTime() - timerStarted.EventTime.ToDateTime() >= TimeSpan.FromHours(3));
        });
    }

    [TimeSkippingFact]
    public async Task Unlocking_with_sleep_moves_the_servers_clock_on_and_locks_again()
    {
        var env = await fixture.TimeSkippingAsync();
        var before = await env.GetCurrentTimeAsync();

        await env.DelayAsync(TimeSpan.FromDays(2)).WaitAsync(Guard);

        Assert.True(await env.GetCurrentTimeAsync() - before >= TimeSpan.FromDays(2));
        // Locked again: one unlock is balanced by one lock, as the SDK's environment expects.
        var test = env.Client.Connection.TestService;
        await test.UnlockTimeSkippingAsync(new UnlockTimeSkippingRequest());
        await test.LockTimeSkippingAsync(new LockTimeSkippingRequest());
    }

    [TimeSkippingFact]
    public async Task Sleep_until_returns_once_the_servers_clock_reaches_the_time()
    {
        var env = await fixture.TimeSkippingAsync();
        var test = env.Client.Connection.TestService;
        var until = (await env.GetCurrentTimeAsync()).AddHours(5);

        await test.UnlockTimeSkippingAsync(new UnlockTimeSkippingRequest());
        try
        {
            await test.SleepUntilAsync(new SleepUntilRequest { Timestamp = Timestamp.FromDateTime(DateTime.SpecifyKind(until, DateTimeKind.Utc)) }).WaitAsync(Guard);
        }
        finally
        {
            await test.LockTimeSkippingAsync(new LockTimeSkippingRequest());
        }

        Assert.True(await env.GetCurrentTimeAsync() >= until);
    }

    private static (HistoryEvent Scheduled, HistoryEvent Started) LastAttempt(IReadOnlyList<HistoryEvent> events) =>
        (Assert.Single(events, e => e.EventType == EventType.ActivityTaskScheduled),
         Assert.Single(events, e => e.EventType == EventType.ActivityTaskStarted));

    private static async Task RunWorkerAsync(TimeSkippingEnvironment env, Func<string, Task> body)
    {
        var queue = TaskQueues.Unique("time-skipping");
        var options = new TemporalWorkerOptions(queue)
            .AddWorkflow<TimerWorkflow>()
            .AddWorkflow<ActivityOrTimerWorkflow>()
            .AddWorkflow<TimeoutAfterSleepWorkflow>()
            .AddAllActivities(new TimeSkippingActivities());
        using var worker = new TemporalWorker(env.Client, options);
        await worker.ExecuteAsync(() => body(queue));
    }
}
