using System.Text.Json.Nodes;
using EventProcessor.Events.Maintenance;
using EventProcessor.Hosting;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace EventProcessor.Cli.Tests.Schedules;

/// <summary>
/// <c>schedules ensure</c> and <c>schedules list</c> against the shared server. The schedule id is
/// a contract (one per namespace), so every test deletes it when done; the tests of this collection
/// run one at a time.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class SchedulesCommandsTests(TemporalServerFixture temporal)
{
    [Fact]
    public async Task Ensure_creates_the_daily_schedule_then_updates_it_to_the_configuration_and_is_safe_to_repeat()
    {
        var taskQueue = TaskQueues.Unique();
        try
        {
            var created = await RunAsync(Settings(taskQueue), "schedules", "ensure");

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.StartsWith($"Schedule reconcile-search-index created: 0 3 * * * (UTC), task queue {taskQueue}, next run ", created.Out, StringComparison.Ordinal);
            var schedule = (await Handle().DescribeAsync()).Schedule;
            var action = Assert.IsType<ScheduleActionStartWorkflow>(schedule.Action);
            Assert.Equal((SearchIndexReconciliation.WorkflowType, "reconcile-search-index", taskQueue), (action.Workflow, action.Options.Id, action.Options.TaskQueue));
            Assert.Equal(ScheduleOverlapPolicy.Skip, schedule.Policy.Overlap);
            Assert.False(schedule.State.Paused);
            var calendar = Assert.Single(schedule.Spec.Calendars);
            Assert.Equal((3, 0), (Assert.Single(calendar.Hour).Start, Assert.Single(calendar.Minute).Start));
            Assert.Equal("UTC", schedule.Spec.TimeZoneName);
            var next = (await Handle().DescribeAsync()).Info.NextActionTimes.First();
            Assert.Equal((3, 0, 0), (next.Hour, next.Minute, next.Second));

            var moved = await RunAsync(Settings(taskQueue, ("Reconciliation:Schedule", "30 4 * * 1-5")), "schedules", "ensure");
            var again = await RunAsync(Settings(taskQueue, ("Reconciliation:Schedule", "30 4 * * 1-5")), "schedules", "ensure");

            Assert.True(moved.ExitCode == 0, moved.ToString());
            Assert.StartsWith("Schedule reconcile-search-index updated: 30 4 * * 1-5 (UTC)", moved.Out, StringComparison.Ordinal);
            Assert.Equal(moved.Out.Split(", next run")[0], again.Out.Split(", next run")[0]);
            var updated = await Handle().DescribeAsync();
            Assert.Equal("30 4 * * 1-5 (UTC)", CronCalendar.Describe(updated.Schedule.Spec));
            var weekday = updated.Info.NextActionTimes.First();
            Assert.Equal((4, 30), (weekday.Hour, weekday.Minute));
            Assert.NotEqual(DayOfWeek.Saturday, weekday.DayOfWeek);
            Assert.NotEqual(DayOfWeek.Sunday, weekday.DayOfWeek);
        }
        finally
        {
            await DeleteAsync();
        }
    }

    [Fact]
    public async Task Disabled_reconciliation_keeps_the_schedule_paused_and_a_pause_by_hand_survives_an_ensure()
    {
        var taskQueue = TaskQueues.Unique();
        try
        {
            var disabled = await RunAsync(Settings(taskQueue, ("Reconciliation:Enabled", "false")), "schedules", "ensure");
            Assert.True(disabled.ExitCode == 0, disabled.ToString());
            Assert.Contains("paused (Reconciliation:Enabled is false)", disabled.Out, StringComparison.Ordinal);
            Assert.Equal((true, ReconciliationSchedule.DisabledNote), await PausedAsync());

            await RunAsync(Settings(taskQueue), "schedules", "ensure");
            Assert.Equal((false, string.Empty), await PausedAsync());

            await Handle().PauseAsync("incident INC-42: platform overloaded");
            await RunAsync(Settings(taskQueue), "schedules", "ensure");
            Assert.Equal((true, "incident INC-42: platform overloaded"), await PausedAsync());
        }
        finally
        {
            await DeleteAsync();
        }
    }

    [Fact]
    public async Task List_shows_the_schedule_its_times_next_run_and_the_status_and_summary_of_its_last_run()
    {
        await using var world = await ReconciliationWorld.StartAsync(temporal);
        world.Project("0a000000-0000-4000-8000-00000000000a", "Acme price tracking");
        world.Drift("0a000000-0000-4000-8000-00000000000a", r => r["name"] = "Old name");
        var settings = Settings(world.TaskQueue);
        try
        {
            var none = await RunAsync(settings, "schedules", "list", "-o", "json");
            Assert.DoesNotContain(ReconciliationSchedule.Id, none.Out, StringComparison.Ordinal);

            await RunAsync(settings, "schedules", "ensure");
            var neverRan = await RunAsync(settings, "schedules", "list");
            Assert.True(neverRan.ExitCode == 0, neverRan.ToString());
            Assert.Contains("reconcile-search-index", neverRan.Out, StringComparison.Ordinal);
            Assert.Contains("0 3 * * * (UTC)", neverRan.Out, StringComparison.Ordinal);
            Assert.Contains("never ran", neverRan.Out, StringComparison.Ordinal);

            // Run it now, as the schedule would at 03:00, and wait for that run to finish.
            await Handle().TriggerAsync();
            var row = await Eventually.ValueAsync(
                async () => await ListedAsync(settings),
                r => r?["lastRun"]?["status"]?.GetValue<string>() == "Completed",
                TimeSpan.FromSeconds(60),
                "the triggered run to complete");

            Assert.Equal(SearchIndexReconciliation.WorkflowType, row!["workflowType"]!.GetValue<string>());
            Assert.Equal("0 3 * * * (UTC)", row["spec"]!.GetValue<string>());
            Assert.False(row["paused"]!.GetValue<bool>());
            Assert.EndsWith("T03:00:00.0000000Z", row["nextRun"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith("reconcile-search-index-", row["lastRun"]!["workflowId"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("Checked 1 projects: repaired 1, skipped 0.", row["lastRun"]!["summary"]!.GetValue<string>());
            Assert.Equal("Acme price tracking", world.Downstream.Algolia.RecordOf(ReconciliationWorld.Index, "0a000000-0000-4000-8000-00000000000a")!["name"]!.GetValue<string>());

            var table = await RunAsync(settings, "schedules", "list");
            Assert.Contains("Completed: Checked 1 projects: repaired 1, skipped 0.", table.Out, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync();
        }
    }

    [Theory]
    [InlineData("Reconciliation:Schedule", "every night", "Reconciliation:Schedule (environment variable Reconciliation__Schedule) is invalid: 'every night' is not a five-field cron expression")]
    [InlineData("Reconciliation:Schedule", "0 25 * * *", "'25' is not a valid hour field")]
    [InlineData("Reconciliation:TimeZone", "Mars/Olympus", "Reconciliation:TimeZone (environment variable Reconciliation__TimeZone) must be an IANA time zone")]
    [InlineData("Reconciliation:PageSize", "5000", "Reconciliation:PageSize (environment variable Reconciliation__PageSize) must be a whole number from 1 to 1000")]
    [InlineData("Reconciliation:Enabled", "sometimes", "Reconciliation:Enabled (environment variable Reconciliation__Enabled) must be true or false")]
    public async Task A_bad_reconciliation_setting_is_a_usage_error_naming_it(string key, string value, string expected)
    {
        var result = await RunAsync(Settings(TaskQueues.Unique(), (key, value)), "schedules", "ensure");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private ScheduleHandle Handle() => temporal.Client.GetScheduleHandle(ReconciliationSchedule.Id);

    private async Task<(bool Paused, string Note)> PausedAsync()
    {
        var state = (await Handle().DescribeAsync()).Schedule.State;
        return (state.Paused, state.Note ?? string.Empty);
    }

    private async Task DeleteAsync()
    {
        try
        {
            await Handle().DeleteAsync();
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            // The test failed before creating it.
        }
    }

    private async Task<JsonNode?> ListedAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var listed = await RunAsync(settings, "schedules", "list", "-o", "json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return JsonNode.Parse(listed.Out)!.AsArray().SingleOrDefault(s => s!["id"]!.GetValue<string>() == ReconciliationSchedule.Id);
    }

    private Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, params string[] args) =>
        CliRun.RunAsync([.. args, "--address", temporal.Address, "--namespace", temporal.Namespace], settings: settings);

    private static Dictionary<string, string?> Settings(string taskQueue, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(CliRun.PlainPayloads)
        {
            ["Temporal:TaskQueue"] = taskQueue,
            ["Reconciliation:PauseBetweenProjectsMilliseconds"] = "0",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
