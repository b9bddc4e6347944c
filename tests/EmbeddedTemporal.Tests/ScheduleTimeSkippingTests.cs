using System.Globalization;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Common;
using Temporalio.Worker;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Schedules firing on the server's clock, skipped ahead (temporal-test-server style time skipping):
/// the scheduler sleeps until the next action time with a timer (workflow.go <c>sleep</c>), so days
/// pass in an instant. Each test names the server function the behaviour comes from
/// (temporalio/temporal service/worker/scheduler). Every schedule is deleted and every open run
/// terminated at the end, so no other test's skipping fires them.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ScheduleTimeSkippingTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private static readonly SearchAttributeKey<string> s_scheduledById = SearchAttributeKey.CreateKeyword("TemporalScheduledById");
    private static readonly SearchAttributeKey<DateTimeOffset> s_scheduledStartTime = SearchAttributeKey.CreateDateTimeOffset("TemporalScheduledStartTime");
    private static readonly SearchAttributeKey<string> s_eventSource = SearchAttributeKey.CreateKeyword("EventSource");

    // Real server: sleep sets a timer for the next action time; processTimeRange buffers the time that
    // passed, processBuffer starts it (nothing is running), startWorkflow names the run
    // workflowID + "-" + nominalTime.Format(time.RFC3339) and adds TemporalScheduledStartTime and
    // TemporalScheduledById to the action's search attributes (addSearchAttributes); recordAction counts
    // it and keeps it in recent actions; getFutureActionTimes goes on from there.
    [TimeSkippingFact]
    public async Task A_daily_calendar_runs_once_a_day_named_by_its_nominal_time()
    {
        var env = await fixture.TimeSkippingAsync();
        await RunWorkerAsync(env, async queue =>
        {
            var id = $"sched-daily-{Guid.NewGuid()}";
            var workflowId = $"wf-{id}";
            var action = ScheduleActionStartWorkflow.Create(
                (QuickWorkflow wf) => wf.RunAsync("daily"),
                new WorkflowOptions(workflowId, queue)
                {
                    Memo = new Dictionary<string, object> { ["origin"] = "schedule" },
                    TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(s_eventSource, "scheduled-run").ToSearchAttributeCollection(),
                });
            var now = await NowAsync(env);
            var next = NextAt(now, 3);
            var handle = await env.Client.CreateScheduleAsync(id, new Schedule(action, DailyAt(3)));
            try
            {
                await env.DelayAsync(next - now + TimeSpan.FromMinutes(10)).WaitAsync(Guard);

                var run = Assert.Single(await RunsAsync(env, workflowId));
                Assert.Equal($"{workflowId}-{Rfc3339(next)}", run.Id);
                Assert.Equal("daily", await env.Client.GetWorkflowHandle(run.Id).GetResultAsync<string>().WaitAsync(Guard));
                var described = await env.Client.GetWorkflowHandle(run.Id).DescribeAsync();
                Assert.Equal(id, described.TypedSearchAttributes.Get(s_scheduledById));
                Assert.Equal(next, described.TypedSearchAttributes.Get(s_scheduledStartTime));
                Assert.Equal("scheduled-run", described.TypedSearchAttributes.Get(s_eventSource));
                Assert.Equal("schedule", await described.Memo["origin"].ToValueAsync<string>());

                var description = await handle.DescribeAsync();
                Assert.Equal(1, description.Info.NumActions);
                var recent = Assert.Single(description.Info.RecentActions);
                Assert.Equal(next.UtcDateTime, recent.ScheduledAt);
                var started = Assert.IsType<ScheduleActionExecutionStartWorkflow>(recent.Action);
                Assert.Equal(run.Id, started.WorkflowId);
                Assert.Equal(run.RunId, started.FirstExecutionRunId);
                Assert.Equal(next.AddDays(1).UtcDateTime, description.Info.NextActionTimes.First());
                Assert.Equal(0, description.Info.NumActionsMissedCatchupWindow);
            }
            finally
            {
                await handle.DeleteAsync();
            }
        });
    }

    // Real server: with SKIP (the default, resolveOverlapPolicy), an action due while the last run is
    // still open is dropped and counted (buffer.go ProcessBuffer: overlapSkipped; processBuffer adds it
    // to Info.OverlapSkipped); the open run stays in running workflows.
    [TimeSkippingFact]
    public async Task With_skip_an_action_due_while_the_last_run_is_open_is_skipped_and_counted()
    {
        var env = await fixture.TimeSkippingAsync();
        await WithHourlyOpenRunScheduleAsync(env, "skip", ScheduleOverlapPolicy.Skip, async (handle, workflowId, firstHour) =>
        {
            var first = Assert.Single(await RunsAsync(env, workflowId));
            Assert.Equal($"{workflowId}-{Rfc3339(firstHour)}", first.Id);

            await env.DelayAsync(TimeSpan.FromHours(1)).WaitAsync(Guard);

            Assert.Single(await RunsAsync(env, workflowId));
            var description = await handle.DescribeAsync();
            Assert.Equal(1, description.Info.NumActions);
            Assert.Equal(1, description.Info.NumActionsSkippedOverlap);
            var running = Assert.IsType<ScheduleActionExecutionStartWorkflow>(Assert.Single(description.Info.RunningActions));
            Assert.Equal(first.Id, running.WorkflowId);
        });
    }

    // Real server: with BUFFER_ONE the first action due while a run is open waits in the buffer and a
    // second is skipped (buffer.go ProcessBuffer); when the open run closes the watcher wakes the
    // scheduler (processWatcherResult) and the buffered action starts, named by its own nominal time.
    [TimeSkippingFact]
    public async Task With_buffer_one_an_action_waits_for_the_open_run_to_close()
    {
        var env = await fixture.TimeSkippingAsync();
        await WithHourlyOpenRunScheduleAsync(env, "buffer", ScheduleOverlapPolicy.BufferOne, async (handle, workflowId, firstHour) =>
        {
            await env.DelayAsync(TimeSpan.FromHours(2)).WaitAsync(Guard);
            var first = Assert.Single(await RunsAsync(env, workflowId));
            var waiting = await env.Client.WorkflowService.DescribeScheduleAsync(new() { Namespace = env.Namespace, ScheduleId = handle.Id });
            Assert.Equal(1, waiting.Info.BufferSize);
            Assert.Equal(1, waiting.Info.OverlapSkipped);

            await env.Client.GetWorkflowHandle(first.Id).TerminateAsync("let the buffered action start");

            var runs = await Eventually.ValueAsync(() => RunsAsync(env, workflowId), r => r.Count == 2, TimeSpan.FromSeconds(20), "the buffered action to start");
            Assert.Contains(runs, r => r.Id == $"{workflowId}-{Rfc3339(firstHour.AddHours(1))}");
            Assert.Equal(2, (await handle.DescribeAsync()).Info.NumActions);
        });
    }

    // Real server: with TERMINATE_OTHER an action due while a run is open terminates it (buffer.go
    // ProcessBuffer: needTerminate; processBuffer: terminateWorkflow, reason "terminated by schedule
    // overlap policy") and starts once the run has closed.
    [TimeSkippingFact]
    public async Task With_terminate_other_the_open_run_is_terminated_and_the_new_action_starts()
    {
        var env = await fixture.TimeSkippingAsync();
        await WithHourlyOpenRunScheduleAsync(env, "terminate", ScheduleOverlapPolicy.TerminateOther, async (handle, workflowId, firstHour) =>
        {
            await env.DelayAsync(TimeSpan.FromHours(1)).WaitAsync(Guard);

            var runs = await Eventually.ValueAsync(() => RunsAsync(env, workflowId), r => r.Count == 2, TimeSpan.FromSeconds(20), "the second action to start");
            var first = Assert.Single(runs, r => r.Id == $"{workflowId}-{Rfc3339(firstHour)}");
            Assert.Equal(WorkflowExecutionStatus.Terminated, first.Status);
            var second = Assert.Single(runs, r => r.Id == $"{workflowId}-{Rfc3339(firstHour.AddHours(1))}");
            Assert.Equal(WorkflowExecutionStatus.Running, second.Status);
            var description = await handle.DescribeAsync();
            Assert.Equal(2, description.Info.NumActions);
            Assert.Equal(0, description.Info.NumActionsSkippedOverlap);
        });
    }

    // Real server: while paused, processTimeRange skips the whole time range (canTakeScheduledAction
    // is false; nothing counts as missed) and sleep sets no timer; after unpause the schedule goes on
    // from the next action time, without catching up the paused hours.
    [TimeSkippingFact]
    public async Task A_paused_schedule_starts_nothing_and_after_unpause_goes_on_without_catching_up()
    {
        var env = await fixture.TimeSkippingAsync();
        await RunWorkerAsync(env, async queue =>
        {
            var id = $"sched-paused-{Guid.NewGuid()}";
            var workflowId = $"wf-{id}";
            var handle = await env.Client.CreateScheduleAsync(id, new Schedule(
                ScheduleActionStartWorkflow.Create((QuickWorkflow wf) => wf.RunAsync("hourly"), new WorkflowOptions(workflowId, queue)),
                new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] })
            {
                State = new ScheduleState { Paused = true, Note = "created paused" },
            });
            try
            {
                await env.DelayAsync(TimeSpan.FromHours(3)).WaitAsync(Guard);
                Assert.Empty(await RunsAsync(env, workflowId));
                var paused = await handle.DescribeAsync();
                Assert.True(paused.Schedule.State.Paused);
                Assert.Equal("created paused", paused.Schedule.State.Note);
                Assert.Equal(0, paused.Info.NumActions);
                Assert.Equal(0, paused.Info.NumActionsMissedCatchupWindow);

                await handle.UnpauseAsync("resumed");
                var unpausedAt = await NowAsync(env);
                var nextHour = NextWholeHour(unpausedAt);
                await env.DelayAsync(nextHour - unpausedAt + TimeSpan.FromMinutes(5)).WaitAsync(Guard);

                var run = Assert.Single(await RunsAsync(env, workflowId));
                Assert.Equal($"{workflowId}-{Rfc3339(nextHour)}", run.Id);
                Assert.Equal(1, (await handle.DescribeAsync()).Info.NumActions);
            }
            finally
            {
                await handle.DeleteAsync();
            }
        });
    }

    // Real server: processUpdate replaces the spec and processTimeRange then follows the new one only;
    // the started run carries the new nominal time in its id.
    [TimeSkippingFact]
    public async Task After_an_update_the_schedule_fires_on_the_new_spec_only()
    {
        var env = await fixture.TimeSkippingAsync();
        await RunWorkerAsync(env, async queue =>
        {
            var id = $"sched-updated-{Guid.NewGuid()}";
            var workflowId = $"wf-{id}";
            var handle = await env.Client.CreateScheduleAsync(id, new Schedule(
                ScheduleActionStartWorkflow.Create((QuickWorkflow wf) => wf.RunAsync("updated"), new WorkflowOptions(workflowId, queue)),
                DailyAt(3)));
            try
            {
                await handle.UpdateAsync(input => new ScheduleUpdate(input.Description.Schedule with { Spec = DailyAt(5) }));
                var now = await NowAsync(env);
                var next = NextAt(now, 5);
                await env.DelayAsync(next - now + TimeSpan.FromMinutes(10)).WaitAsync(Guard);

                var run = Assert.Single(await RunsAsync(env, workflowId));
                Assert.Equal($"{workflowId}-{Rfc3339(next)}", run.Id);
                var description = await handle.DescribeAsync();
                Assert.NotNull(description.Info.LastUpdatedAt);
                Assert.All(description.Info.NextActionTimes, t => Assert.Equal(new TimeSpan(5, 0, 0), t.TimeOfDay));
            }
            finally
            {
                await handle.DeleteAsync();
            }
        });
    }

    /// <summary>
    /// An hourly schedule (with <paramref name="overlap"/>) of a run that stays open, its worker, and
    /// time skipped to five minutes past its first whole hour (so its first run has started); the body
    /// gets the handle, the action's workflow id and that first hour. The schedule and its open runs
    /// are removed afterwards.
    /// </summary>
    private static Task WithHourlyOpenRunScheduleAsync(
        TimeSkippingEnvironment env, string name, ScheduleOverlapPolicy overlap, Func<ScheduleHandle, string, DateTimeOffset, Task> body) =>
        RunWorkerAsync(env, async queue =>
        {
            var id = $"sched-{name}-{Guid.NewGuid()}";
            var workflowId = $"wf-{id}";
            var now = await NowAsync(env);
            var firstHour = NextWholeHour(now);
            var handle = await env.Client.CreateScheduleAsync(id, new Schedule(
                ScheduleActionStartWorkflow.Create((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions(workflowId, queue)),
                new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] })
            {
                Policy = new SchedulePolicy { Overlap = overlap },
            });
            try
            {
                await env.DelayAsync(firstHour - now + TimeSpan.FromMinutes(5)).WaitAsync(Guard);
                await body(handle, workflowId, firstHour);
            }
            finally
            {
                await handle.DeleteAsync();
                await TerminateOpenRunsAsync(env, workflowId);
            }
        });

    private static ScheduleSpec DailyAt(int hour) => new() { Calendars = [new ScheduleCalendarSpec { Hour = [new ScheduleRange(hour)] }] };

    private static async Task<DateTimeOffset> NowAsync(TimeSkippingEnvironment env) =>
        new(DateTime.SpecifyKind(await env.GetCurrentTimeAsync(), DateTimeKind.Utc));

    private static DateTimeOffset NextAt(DateTimeOffset now, int hour)
    {
        var today = new DateTimeOffset(now.Year, now.Month, now.Day, hour, 0, 0, TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }

    private static DateTimeOffset NextWholeHour(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<List<WorkflowExecution>> RunsAsync(TimeSkippingEnvironment env, string workflowId)
    {
        var runs = new List<WorkflowExecution>();
        await foreach (var run in env.Client.ListWorkflowsAsync($"WorkflowId STARTS_WITH '{workflowId}-'"))
        {
            runs.Add(run);
        }

        return runs;
    }

    private static async Task TerminateOpenRunsAsync(TimeSkippingEnvironment env, string workflowId)
    {
        foreach (var run in await RunsAsync(env, workflowId))
        {
            if (run.Status == WorkflowExecutionStatus.Running)
            {
                await env.Client.GetWorkflowHandle(run.Id, run.RunId).TerminateAsync("test over");
            }
        }
    }

    private static async Task RunWorkerAsync(TimeSkippingEnvironment env, Func<string, Task> body)
    {
        var queue = TaskQueues.Unique("schedules");
        var options = new TemporalWorkerOptions(queue)
            .AddWorkflow<QuickWorkflow>()
            .AddWorkflow<WaitingWorkflow>();
        using var worker = new TemporalWorker(env.Client, options);
        await worker.ExecuteAsync(() => body(queue));
    }
}
