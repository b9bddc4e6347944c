using System.Globalization;
using EventProcessor.Testing;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Temporal's Schedule API through the SDK client, as a real server answers it. Each test names the
/// server function the behaviour comes from (temporalio/temporal: service/worker/scheduler/workflow.go,
/// spec.go, buffer.go; the frontend's schedule handlers). The specs here fire at most once a day, at a
/// time the tests never reach, so only what a test triggers runs; a real server applies updates and
/// patches a moment later and lists from visibility, so the tests wait on what they read.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ScheduleConformanceTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private static readonly SearchAttributeKey<string> s_scheduledById = SearchAttributeKey.CreateKeyword("TemporalScheduledById");
    private static readonly SearchAttributeKey<DateTimeOffset> s_scheduledStartTime = SearchAttributeKey.CreateDateTimeOffset("TemporalScheduledStartTime");
    private static readonly SearchAttributeKey<string> s_eventSource = SearchAttributeKey.CreateKeyword("EventSource");

    /// <summary>New Year's Day 03:00 UTC: never reached while a test runs.</summary>
    private static ScheduleSpec Yearly(int hour = 3) => new()
    {
        Calendars = [new ScheduleCalendarSpec { Month = [new ScheduleRange(1)], DayOfMonth = [new ScheduleRange(1)], Hour = [new ScheduleRange(hour)] }],
    };

    private static Schedule QuickSchedule(string workflowId, string queue, ScheduleSpec spec, string value = "scheduled") =>
        new(ScheduleActionStartWorkflow.Create((QuickWorkflow wf) => wf.RunAsync(value), new WorkflowOptions(workflowId, queue)), spec);

    private static DateTimeOffset NextYearly(DateTimeOffset now, int hour = 3)
    {
        var candidate = new DateTimeOffset(now.Year, 1, 1, hour, 0, 0, TimeSpan.Zero);
        return candidate > now ? candidate : candidate.AddYears(1);
    }

    // Real server: CreateSchedule starts the scheduler workflow with the schedule's memo and search
    // attributes; ensureFields (workflow.go) resolves the overlap policy (SKIP by default, resolveOverlapPolicy)
    // and the catch-up window (a year, getCatchupWindow) so they show in describe; handleDescribeQuery
    // answers the next 10 action times (getFutureActionTimes) and the create time; ListSchedules answers
    // the memo's list info (getListInfo: spec, workflow type, paused, next 5 times); DeleteSchedule ends it.
    [Fact]
    public async Task A_schedule_is_created_described_listed_and_deleted()
    {
        var id = $"sched-crud-{Guid.NewGuid()}";
        var before = DateTimeOffset.UtcNow;
        var handle = await fixture.Client.CreateScheduleAsync(
            id,
            QuickSchedule($"wf-{id}", TaskQueues.Unique(), Yearly()),
            new ScheduleOptions
            {
                Memo = new Dictionary<string, object> { ["owner"] = "conformance" },
                TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(s_eventSource, "schedule-test").ToSearchAttributeCollection(),
            });
        var after = DateTimeOffset.UtcNow;
        try
        {
            var description = await handle.DescribeAsync();
            var calendar = Assert.Single(description.Schedule.Spec.Calendars);
            Assert.Equal(3, Assert.Single(calendar.Hour).Start);
            Assert.Equal(Temporalio.Api.Enums.V1.ScheduleOverlapPolicy.Skip, description.Schedule.Policy.Overlap);
            Assert.Equal(TimeSpan.FromDays(365), description.Schedule.Policy.CatchupWindow);
            Assert.False(description.Schedule.State.Paused);
            Assert.Equal(0, description.Info.NumActions);
            Assert.Empty(description.Info.RecentActions);
            Assert.InRange(new DateTimeOffset(description.Info.CreatedAt, TimeSpan.Zero), before.AddMinutes(-1), after.AddMinutes(1));
            Assert.Null(description.Info.LastUpdatedAt);
            var next = NextYearly(after);
            Assert.Equal(10, description.Info.NextActionTimes.Count);
            Assert.Equal(next, new DateTimeOffset(description.Info.NextActionTimes.First(), TimeSpan.Zero));
            Assert.Equal(next.AddYears(9), new DateTimeOffset(description.Info.NextActionTimes.Last(), TimeSpan.Zero));
            Assert.Equal("conformance", await description.Memo["owner"].ToValueAsync<string>());
            Assert.Equal("schedule-test", description.TypedSearchAttributes.Get(s_eventSource));
            var action = Assert.IsType<ScheduleActionStartWorkflow>(description.Schedule.Action);
            Assert.Equal("QuickWorkflow", action.Workflow);
            Assert.Equal($"wf-{id}", action.Options.Id);

            var listed = await Eventually.ValueAsync(() => FindListedAsync(id), e => e is not null, s_wait, "the schedule to be listed");
            Assert.Equal("QuickWorkflow", Assert.IsType<ScheduleListActionStartWorkflow>(listed!.Schedule!.Action).Workflow);
            Assert.False(listed.Schedule!.State.Paused);
            Assert.Equal(3, Assert.Single(Assert.Single(listed.Schedule!.Spec.Calendars).Hour).Start);
            Assert.Equal(5, listed.Info!.NextActionTimes.Count);
            Assert.Equal(next, new DateTimeOffset(listed.Info!.NextActionTimes.First(), TimeSpan.Zero));
            Assert.Equal("schedule-test", listed.TypedSearchAttributes.Get(s_eventSource));
            Assert.Equal("conformance", await listed.Memo["owner"].ToValueAsync<string>());
        }
        finally
        {
            await handle.DeleteAsync();
        }

        var gone = await Assert.ThrowsAsync<RpcException>(() => handle.DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, gone.Code);
        await Eventually.Async(async () => await FindListedAsync(id) is null, s_wait, "the deleted schedule to leave the list");
    }

    // Real server: a second CreateSchedule with the id finds the scheduler workflow running
    // (WorkflowExecutionAlreadyStarted, ALREADY_EXISTS), which the SDK turns into
    // ScheduleAlreadyRunningException; the first schedule is untouched.
    [Fact]
    public async Task Creating_an_existing_schedule_id_fails_and_leaves_the_schedule_as_it_was()
    {
        var id = $"sched-dup-{Guid.NewGuid()}";
        var handle = await fixture.Client.CreateScheduleAsync(id, QuickSchedule($"wf-{id}", TaskQueues.Unique(), Yearly(3)));
        try
        {
            await Assert.ThrowsAsync<ScheduleAlreadyRunningException>(
                () => fixture.Client.CreateScheduleAsync(id, QuickSchedule($"other-{id}", TaskQueues.Unique(), Yearly(5))));
            var description = await handle.DescribeAsync();
            Assert.Equal(3, Assert.Single(Assert.Single(description.Schedule.Spec.Calendars).Hour).Start);
            Assert.Equal($"wf-{id}", Assert.IsType<ScheduleActionStartWorkflow>(description.Schedule.Action).Options.Id);
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    // Real server: describe, patch (trigger, pause), update (which describes first) and delete of a
    // schedule id without a scheduler workflow answer NOT_FOUND.
    [Fact]
    public async Task Calls_on_a_missing_schedule_answer_not_found()
    {
        var handle = fixture.Client.GetScheduleHandle($"sched-missing-{Guid.NewGuid()}");
        var calls = new Func<Task>[]
        {
            () => handle.DescribeAsync(),
            () => handle.TriggerAsync(),
            () => handle.PauseAsync("never"),
            () => handle.UnpauseAsync("never"),
            () => handle.UpdateAsync(input => new ScheduleUpdate(input.Description.Schedule)),
            () => handle.DeleteAsync(),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(RpcException.StatusCode.NotFound, error.Code);
        }
    }

    // Real server: the frontend compiles the spec before creating (spec.go canonicalizeSpec:
    // validateStructuredCalendar checks each range against its field's bounds, validateInterval wants
    // an interval of at least 1 s and a phase below it) and answers INVALID_ARGUMENT.
    [Theory]
    [InlineData("hour")]
    [InlineData("day-of-week")]
    [InlineData("phase")]
    [InlineData("cron")]
    public async Task An_invalid_spec_is_refused(string what)
    {
        var spec = what switch
        {
            "hour" => new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { Hour = [new ScheduleRange(24)] }] },
            "day-of-week" => new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { DayOfWeek = [new ScheduleRange(7)] }] },
            "phase" => new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1), TimeSpan.FromHours(2))] },
            _ => new ScheduleSpec { CronExpressions = ["0 3 * *"] },
        };
        var id = $"sched-invalid-{Guid.NewGuid()}";
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CreateScheduleAsync(id, QuickSchedule($"wf-{id}", TaskQueues.Unique(), spec)));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        var missing = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScheduleHandle(id).DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, missing.Code);
    }

    // Real server: a trigger is a patch whose action takes the current time as its nominal time
    // (processPatch: addStart(now, now, ..., manual)); startWorkflow names the run
    // workflowID + "-" + nominal time in RFC 3339 at second precision, UTC, and sets
    // TemporalScheduledStartTime (that time) and TemporalScheduledById (the schedule id) besides the
    // action's own search attributes and memo (addSearchAttributes); recordAction counts it and
    // keeps it in recent actions with the started run's id and run id.
    [Fact]
    public async Task A_trigger_starts_the_action_now_named_by_its_nominal_time()
    {
        var id = $"sched-trigger-{Guid.NewGuid()}";
        var queue = TaskQueues.Unique();
        var workflowId = $"wf-{id}";
        var action = ScheduleActionStartWorkflow.Create(
            (QuickWorkflow wf) => wf.RunAsync("triggered"),
            new WorkflowOptions(workflowId, queue)
            {
                Memo = new Dictionary<string, object> { ["origin"] = "schedule" },
                TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(s_eventSource, "scheduled-run").ToSearchAttributeCollection(),
            });
        var handle = await fixture.Client.CreateScheduleAsync(id, new Schedule(action, Yearly()));
        try
        {
            await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
            {
                var before = DateTimeOffset.UtcNow;
                await handle.TriggerAsync();
                var after = DateTimeOffset.UtcNow;

                var description = await Eventually.ValueAsync(() => handle.DescribeAsync(), d => d.Info.RecentActions.Count == 1, s_wait, "the triggered action");
                Assert.Equal(1, description.Info.NumActions);
                var recent = description.Info.RecentActions.First();
                var started = Assert.IsType<ScheduleActionExecutionStartWorkflow>(recent.Action);
                Assert.StartsWith(workflowId + "-", started.WorkflowId, StringComparison.Ordinal);
                var suffix = started.WorkflowId[(workflowId.Length + 1)..];
                var nominal = DateTimeOffset.ParseExact(suffix, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                Assert.InRange(nominal, before.AddMinutes(-1), after.AddMinutes(1));

                var run = fixture.Client.GetWorkflowHandle(started.WorkflowId, started.FirstExecutionRunId);
                Assert.Equal("triggered", await run.GetResultAsync<string>().WaitAsync(s_wait));
                var runDescription = await run.DescribeAsync();
                Assert.Equal(id, runDescription.TypedSearchAttributes.Get(s_scheduledById));
                Assert.Equal(nominal, runDescription.TypedSearchAttributes.Get(s_scheduledStartTime));
                Assert.Equal("scheduled-run", runDescription.TypedSearchAttributes.Get(s_eventSource));
                Assert.Equal("schedule", await runDescription.Memo["origin"].ToValueAsync<string>());
            });
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    // Real server: a trigger goes through the buffer like any action (processPatch: addStart, then
    // processBuffer); with the schedule's SKIP policy (the SDK's trigger leaves the policy unset,
    // resolveOverlapPolicy) a trigger while the last run is open starts nothing and is counted as
    // skipped (buffer.go ProcessBuffer).
    [Fact]
    public async Task A_trigger_while_the_last_run_is_open_is_skipped_with_skip()
    {
        var id = $"sched-trigger-skip-{Guid.NewGuid()}";
        var queue = TaskQueues.Unique();
        var workflowId = $"wf-{id}";
        var handle = await fixture.Client.CreateScheduleAsync(id, new Schedule(
            ScheduleActionStartWorkflow.Create((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions(workflowId, queue)),
            Yearly()));
        string? started = null;
        try
        {
            await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
            {
                await handle.TriggerAsync();
                var first = await Eventually.ValueAsync(() => handle.DescribeAsync(), d => d.Info.RunningActions.Count == 1, s_wait, "the first trigger to start a run");
                started = Assert.IsType<ScheduleActionExecutionStartWorkflow>(Assert.Single(first.Info.RunningActions)).WorkflowId;

                await handle.TriggerAsync();
                var second = await Eventually.ValueAsync(() => handle.DescribeAsync(), d => d.Info.NumActionsSkippedOverlap == 1, s_wait, "the second trigger to be skipped");
                Assert.Equal(1, second.Info.NumActions);
                Assert.Equal(started, Assert.IsType<ScheduleActionExecutionStartWorkflow>(Assert.Single(second.Info.RunningActions)).WorkflowId);
            });
        }
        finally
        {
            await handle.DeleteAsync();
            if (started is not null)
            {
                await fixture.Client.GetWorkflowHandle(started).TerminateAsync("test over");
            }
        }
    }

    // Real server: processUpdate replaces spec, action, policies and state, keeps the info, sets the
    // update time and moves the conflict token on; the spec is canonicalized first (canonicalizeSpec:
    // a cron string becomes a structured calendar). An update carrying the conflict token describe gave
    // (checkConflict) is applied.
    [Fact]
    public async Task An_update_replaces_the_spec_and_a_cron_string_is_kept_as_a_calendar()
    {
        var id = $"sched-update-{Guid.NewGuid()}";
        var handle = await fixture.Client.CreateScheduleAsync(id, QuickSchedule($"wf-{id}", TaskQueues.Unique(), Yearly()));
        try
        {
            await handle.UpdateAsync(input => new ScheduleUpdate(input.Description.Schedule with
            {
                Spec = new ScheduleSpec { CronExpressions = ["30 4 1 1 *"] },
            }));

            var updated = await Eventually.ValueAsync(() => handle.DescribeAsync(), d => d.Info.LastUpdatedAt is not null, s_wait, "the update to apply");
            Assert.Empty(updated.Schedule.Spec.CronExpressions);
            var calendar = Assert.Single(updated.Schedule.Spec.Calendars);
            Assert.Equal(4, Assert.Single(calendar.Hour).Start);
            Assert.Equal(30, Assert.Single(calendar.Minute).Start);
            var now = DateTimeOffset.UtcNow;
            var next = new DateTimeOffset(now.Year, 1, 1, 4, 30, 0, TimeSpan.Zero);
            next = next > now ? next : next.AddYears(1);
            Assert.Equal(next, new DateTimeOffset(updated.Info.NextActionTimes.First(), TimeSpan.Zero));

            // Raw UpdateSchedule with the conflict token describe answered.
            var raw = await fixture.Client.WorkflowService.DescribeScheduleAsync(new DescribeScheduleRequest { Namespace = fixture.Namespace, ScheduleId = id });
            var schedule = raw.Schedule.Clone();
            schedule.Spec.StructuredCalendar[0].Hour.Clear();
            schedule.Spec.StructuredCalendar[0].Hour.Add(new Temporalio.Api.Schedule.V1.Range { Start = 6, End = 6 });
            await fixture.Client.WorkflowService.UpdateScheduleAsync(new UpdateScheduleRequest
            {
                Namespace = fixture.Namespace,
                ScheduleId = id,
                Schedule = schedule,
                ConflictToken = raw.ConflictToken,
                RequestId = Guid.NewGuid().ToString(),
            });
            await Eventually.Async(
                async () => Assert.Single(Assert.Single((await handle.DescribeAsync()).Schedule.Spec.Calendars).Hour).Start == 6,
                s_wait,
                "the update with the current conflict token to apply");
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    // Real server: processPatch sets paused and the note from a pause patch and clears paused with
    // the unpause patch's note; describe and the list's info (getListInfo) show both.
    [Fact]
    public async Task Pause_and_unpause_set_the_state_and_the_note()
    {
        var id = $"sched-pause-{Guid.NewGuid()}";
        var handle = await fixture.Client.CreateScheduleAsync(id, QuickSchedule($"wf-{id}", TaskQueues.Unique(), Yearly()));
        try
        {
            await handle.PauseAsync("paused for maintenance");
            var paused = await Eventually.ValueAsync(() => handle.DescribeAsync(), d => d.Schedule.State.Paused, s_wait, "the pause to apply");
            Assert.Equal("paused for maintenance", paused.Schedule.State.Note);
            var listed = await Eventually.ValueAsync(() => FindListedAsync(id), e => e?.Schedule?.State.Paused == true, s_wait, "the list to show the pause");
            Assert.Equal("paused for maintenance", listed!.Schedule!.State.Note);

            await handle.UnpauseAsync("back to work");
            var unpaused = await Eventually.ValueAsync(() => handle.DescribeAsync(), d => !d.Schedule.State.Paused, s_wait, "the unpause to apply");
            Assert.Equal("back to work", unpaused.Schedule.State.Note);
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    // Real server: an interval spec matches every (epoch seconds - phase) multiple of the interval
    // (spec.go nextIntervalTime); describe lists the next 10.
    [Fact]
    public async Task An_interval_with_a_phase_fires_at_the_phase_past_each_interval()
    {
        var id = $"sched-interval-{Guid.NewGuid()}";
        var handle = await fixture.Client.CreateScheduleAsync(
            id,
            QuickSchedule($"wf-{id}", TaskQueues.Unique(), new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromDays(1), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(15))] }));
        try
        {
            var description = await handle.DescribeAsync();
            var interval = Assert.Single(description.Schedule.Spec.Intervals);
            Assert.Equal(TimeSpan.FromDays(1), interval.Every);
            Assert.Equal(10, description.Info.NextActionTimes.Count);
            foreach (var time in description.Info.NextActionTimes)
            {
                Assert.Equal(new TimeSpan(2, 15, 0), time.TimeOfDay);
            }

            Assert.Equal(TimeSpan.FromDays(9), description.Info.NextActionTimes.Last() - description.Info.NextActionTimes.First());
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    // Real server: a structured calendar matches every combination of its fields' values (calendar.go
    // compiledCalendar.next); a range with a step takes every step-th value, and unset minute and hour
    // ranges given by the SDK as "every value" match every minute and hour.
    [Fact]
    public async Task A_calendar_with_a_stepped_second_range_fires_every_step()
    {
        var id = $"sched-seconds-{Guid.NewGuid()}";
        var spec = new ScheduleSpec
        {
            Calendars =
            [
                new ScheduleCalendarSpec
                {
                    Second = [new ScheduleRange(0, 59, 15)],
                    Minute = [new ScheduleRange(0, 59)],
                    Hour = [new ScheduleRange(0, 23)],
                    Year = [new ScheduleRange(2040)],
                },
            ],
        };
        var handle = await fixture.Client.CreateScheduleAsync(id, QuickSchedule($"wf-{id}", TaskQueues.Unique(), spec));
        try
        {
            var times = (await handle.DescribeAsync()).Info.NextActionTimes.ToList();
            Assert.Equal(10, times.Count);
            Assert.Equal(new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc), times[0]);
            Assert.Equal(new DateTime(2040, 1, 1, 0, 2, 15, DateTimeKind.Utc), times[9]);
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    // Real server: ListScheduleMatchingTimes runs handleListMatchingTimesQuery: the spec's times
    // after the start time up to the end time.
    [Fact]
    public async Task Matching_times_are_the_specs_times_in_the_range()
    {
        var id = $"sched-matching-{Guid.NewGuid()}";
        var handle = await fixture.Client.CreateScheduleAsync(
            id,
            QuickSchedule($"wf-{id}", TaskQueues.Unique(), new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { Hour = [new ScheduleRange(3)], DayOfWeek = [new ScheduleRange(1, 5)] }] }));
        try
        {
            var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero); // a Tuesday
            var response = await fixture.Client.WorkflowService.ListScheduleMatchingTimesAsync(new ListScheduleMatchingTimesRequest
            {
                Namespace = fixture.Namespace,
                ScheduleId = id,
                StartTime = Timestamp.FromDateTimeOffset(start),
                EndTime = Timestamp.FromDateTimeOffset(start.AddDays(7)),
            });
            var times = response.StartTime.Select(t => t.ToDateTimeOffset()).ToList();
            Assert.Equal(
                [start.AddHours(3), start.AddDays(1).AddHours(3), start.AddDays(2).AddHours(3), start.AddDays(3).AddHours(3), start.AddDays(6).AddHours(3)],
                times);
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    private async Task<ScheduleListDescription?> FindListedAsync(string id)
    {
        await foreach (var entry in fixture.Client.ListSchedulesAsync())
        {
            if (entry.Id == id)
            {
                return entry;
            }
        }

        return null;
    }
}
