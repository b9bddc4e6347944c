using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Maintenance;
using EventProcessor.Hosting;
using EventProcessor.TestSupport;
using EventProcessor.Worker.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace EventProcessor.Worker.Tests;

/// <summary>
/// The worker ensures the schedule <c>reconcile-search-index</c> when it starts: created the first
/// time, updated to the configuration at the next start, and its runs execute on that worker. The
/// schedule id is one per namespace, so the test deletes it when done.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ReconciliationScheduleTests(TemporalServerFixture temporal)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_schedule_exists_after_the_worker_starts_a_restart_updates_it_and_its_runs_execute_on_the_worker()
    {
        await using var downstream = await DownstreamStandIns.StartAsync();
        var taskQueue = TaskQueues.Unique();
        var handle = temporal.Client.GetScheduleHandle(ReconciliationSchedule.Id);

        // Every worker started on this namespace ensures the schedule, so another test's worker may
        // have left one, with its payloads encrypted under that test's key: this worker (encryption
        // off) could not read it to update it. Start from none, as a fresh namespace would.
        await DeleteIfPresentAsync(handle);
        try
        {
            await using (var first = Build(downstream, taskQueue))
            {
                await first.StartAsync();
                var outcome = await first.Services.GetRequiredService<ReconciliationScheduleService>().Ensured.WaitAsync(Wait);

                Assert.True(outcome is ScheduleEnsured.Created or ScheduleEnsured.Updated);
                var schedule = (await handle.DescribeAsync()).Schedule;
                var action = Assert.IsType<ScheduleActionStartWorkflow>(schedule.Action);
                Assert.Equal((SearchIndexReconciliation.WorkflowType, taskQueue), (action.Workflow, action.Options.TaskQueue));
                Assert.Equal("0 3 * * * (UTC)", CronCalendar.Describe(schedule.Spec));
                await first.StopAsync();
            }

            await using var second = Build(downstream, taskQueue, ("Reconciliation:Schedule", "15 2 * * *"));
            await second.StartAsync();
            Assert.Equal(ScheduleEnsured.Updated, await second.Services.GetRequiredService<ReconciliationScheduleService>().Ensured.WaitAsync(Wait));
            Assert.Equal("15 2 * * * (UTC)", CronCalendar.Describe((await handle.DescribeAsync()).Schedule.Spec));

            // A run of the schedule (triggered now rather than at 02:15) is picked up by this worker.
            downstream.Algolia.Record(DownstreamStandIns.ProjectsIndex, "0e000000-0000-4000-8000-00000000000e", new System.Text.Json.Nodes.JsonObject { ["name"] = "Unknown to the platform" });
            await handle.TriggerAsync();
            var started = await Eventually.ValueAsync(
                async () => (await handle.DescribeAsync()).Info.RecentActions.Select(a => a.Action).OfType<ScheduleActionExecutionStartWorkflow>().FirstOrDefault(),
                a => a is not null,
                Wait,
                "the triggered run to start");
            using var timeout = new CancellationTokenSource(Wait);
            var result = await temporal.Client.GetWorkflowHandle(started!.WorkflowId)
                .GetResultAsync<SearchIndexReconciliationResult>(rpcOptions: new() { CancellationToken = timeout.Token });
            Assert.Equal((false, 0, 1), (result.DryRun, result.Checked, result.Skipped));
            await second.StopAsync();
        }
        finally
        {
            await DeleteIfPresentAsync(handle);
        }
    }

    [Fact]
    public async Task A_bad_reconciliation_setting_stops_the_worker_naming_it()
    {
        using var error = new StringWriter();

        var exitCode = await WorkerHost.RunAsync(["--Reconciliation:Schedule=0 3 * *", "--Temporal:Address=127.0.0.1:1", "--Encryption:Enabled=false"], error);

        Assert.Equal(1, exitCode);
        Assert.Contains("Reconciliation:Schedule (environment variable Reconciliation__Schedule) is invalid: '0 3 * *' is not a five-field cron expression", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task DeleteIfPresentAsync(Temporalio.Client.Schedules.ScheduleHandle handle)
    {
        try
        {
            await handle.DeleteAsync();
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            // None there.
        }
    }

    private WebApplication Build(DownstreamStandIns downstream, string taskQueue, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(downstream.Configuration)
        {
            ["Temporal:Address"] = temporal.Address,
            ["Temporal:Namespace"] = temporal.Namespace,
            ["Temporal:TaskQueue"] = taskQueue,
            ["Reconciliation:PauseBetweenProjectsMilliseconds"] = "0",
            ["Urls"] = "http://127.0.0.1:0",
            ["Encryption:Enabled"] = "false",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEventProcessorWorker(builder.Configuration);
        return builder.Build();
    }
}
