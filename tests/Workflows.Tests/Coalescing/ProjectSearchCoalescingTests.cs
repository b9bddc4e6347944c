using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Reports;
using EventProcessor.Workflows.Search;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace EventProcessor.Workflows.Tests.Coalescing;

/// <summary>
/// Bursts of report events about one project are written to search by one ProjectSearchSync run
/// (src/Workflows/Coalescing): few reads and writes, every event run completed and naming the
/// sync run that covered it. The windows run on the time-skipping server
/// (<see cref="TemporalServerFixture.TimeSkippingAsync"/>): the sync's timers fire in server time,
/// moved on by <see cref="TimeSkippingEnvironment.DelayAsync"/> (TestService UnlockTimeSkippingWithSleep).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ProjectSearchCoalescingTests(TemporalServerFixture temporal)
{
    private const string ProjectUuid = TicketScenario.ProjectUuid;
    private const string Index = DownstreamStandIns.ProjectsIndex;

    private static readonly StubPlatformReport Prices = new("rpt-58213", ProjectUuid, "Daily prices", "active", new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    private static readonly StubPlatformReport Stock = new("rpt-58214", ProjectUuid, "Stock levels", "paused", new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The product's default windows.</summary>
    private static readonly Dictionary<string, string?> Windows = new(StringComparer.Ordinal)
    {
        ["Coalescing:QuietPeriod"] = "00:00:05",
        ["Coalescing:MaxDelay"] = "00:00:30",
    };

    [TimeSkippingFact]
    public async Task A_burst_of_report_updates_is_read_and_written_once_and_every_run_names_the_sync_run()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, Windows);
        Arrange(harness.Downstream);
        var events = Enumerable.Range(0, 20).Select(_ => SampleEvents.Load("ReportUpdatedEvent")).ToList();

        var handles = new List<WorkflowHandle>();
        foreach (var parsed in events)
        {
            handles.Add(await harness.StartAsync(parsed));
        }

        // Time stands still until the results are awaited, so every request is in before the quiet period can end.
        foreach (var handle in handles)
        {
            await RequestedAsync(handle);
        }

        var results = await ResultsAsync<ReportsSynced>(handles);

        Assert.All(results, r => Assert.Equal(new ReportsSynced(ProjectUuid, 2, results[0].AlgoliaTaskId), r));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid), "GET"));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Equal(ExpectedReports(), harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!["reports"]!.ToJsonString());

        var syncRuns = await Task.WhenAll(handles.Select(SyncRunOfAsync));
        var syncRun = Assert.Single(syncRuns.Distinct());
        Assert.StartsWith($"ProjectSearchSync-{ProjectUuid}-{harness.TaskQueue} run ", syncRun, StringComparison.Ordinal);
        var (syncId, syncRunId) = Split(syncRun);
        var syncHistory = await harness.Client.GetWorkflowHandle(syncId, syncRunId).FetchHistoryAsync();
        Assert.Equal(["GetProjectReports", "PartialUpdateProject"], ActivityTypes(syncHistory));
        Assert.Equal(events.Count, syncHistory.Events.Count(e => e.EventType == EventType.WorkflowExecutionSignaled));
    }

    [TimeSkippingFact]
    public async Task A_change_within_the_quiet_period_delays_the_write_so_one_write_covers_both()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, Windows);
        Arrange(harness.Downstream);

        var first = await harness.StartAsync(SampleEvents.Load("ReportUpdatedEvent"));
        await RequestedAsync(first);
        await env.DelayAsync(TimeSpan.FromSeconds(4));
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);

        // 4 s later: the quiet period starts again, so the write waits for this change too.
        var second = await harness.StartAsync(SampleEvents.Load("ReportCreatedEvent"));
        await RequestedAsync(second);
        await env.DelayAsync(TimeSpan.FromSeconds(4));
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);

        var results = await ResultsAsync<ReportsSynced>([first, second]);

        Assert.Equal(results[0].AlgoliaTaskId, results[1].AlgoliaTaskId);
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Equal(await SyncRunOfAsync(first), await SyncRunOfAsync(second));
    }

    [TimeSkippingFact]
    public async Task Changes_that_never_pause_are_written_at_the_latest_the_maximum_delay_after_the_first()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Coalescing:QuietPeriod"] = "00:00:05",
            ["Coalescing:MaxDelay"] = "00:00:10",
        });
        Arrange(harness.Downstream);

        // One change every 4 s, always within the quiet period: at 0, 4 and 8 s, then 12 and 16 s.
        var handles = new List<WorkflowHandle>();
        for (var i = 0; i < 5; i++)
        {
            if (i > 0)
            {
                await env.DelayAsync(TimeSpan.FromSeconds(4));
            }

            var handle = await harness.StartAsync(SampleEvents.Load("ReportUpdatedEvent"));
            await RequestedAsync(handle);
            handles.Add(handle);
            if (i == 2)
            {
                Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
            }
        }

        var results = await ResultsAsync<ReportsSynced>(handles);

        // The first batch closed at 10 s (its maximum), not 5 s after its last change; the 12 and 16 s changes form the next.
        Assert.Equal(2, harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST").Count);
        Assert.Single(results[..3].Select(r => r.AlgoliaTaskId).Distinct());
        Assert.Single(results[3..].Select(r => r.AlgoliaTaskId).Distinct());
        Assert.NotEqual(results[0].AlgoliaTaskId, results[4].AlgoliaTaskId);
    }

    [TimeSkippingFact]
    public async Task A_failed_write_fails_every_waiting_run_naming_the_cause_and_a_rerun_writes()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, Windows);
        Arrange(harness.Downstream);

        // Algolia refuses the key: not retryable (AlgoliaActivities), so the batch's one write fails for good.
        harness.Downstream.AlgoliaServer.FailNext(AlgoliaStub.PartialPath(Index, ProjectUuid), 403, """{"message":"Invalid Application-ID or API key","status":403}""");
        var events = Enumerable.Range(0, 3).Select(_ => SampleEvents.Load("ReportUpdatedEvent")).ToList();
        var handles = new List<WorkflowHandle>();
        foreach (var parsed in events)
        {
            handles.Add(await harness.StartAsync(parsed));
            await RequestedAsync(handles[^1]);
        }

        var failures = new List<WorkflowFailedException>();
        foreach (var handle in handles)
        {
            failures.Add(await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync()));
        }


        var syncRun = Assert.Single((await Task.WhenAll(handles.Select(SyncRunOfAsync))).Distinct());
        foreach (var failure in failures)
        {
            // The step's own failure, as if the run had written itself, naming the sync run it happened in.
            var cause = Runs.ActivityCause(failure);
            Assert.Contains("Algolia answered 403", cause.Message, StringComparison.Ordinal);
            Assert.Contains(syncRun, cause.Message, StringComparison.Ordinal);
        }

        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));

        // A re-run (reset to the first workflow task, as the runbook's re-run does) asks the sync again and completes.
        var rerun = await ResetAsync(harness, handles[0]);
        var result = await env.WithTimeSkippingUnlockedAsync(() => rerun.GetResultAsync<ReportsSynced>());

        Assert.Equal(2, result.Reports);
        Assert.Equal(ExpectedReports(), harness.Downstream.Algolia.RecordOf(Index, ProjectUuid)!["reports"]!.ToJsonString());
        Assert.NotEqual(syncRun, await SyncRunOfAsync(rerun));
    }

    [TimeSkippingFact]
    public async Task Pushes_stay_one_per_event_while_the_search_write_is_shared()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, Windows);
        Arrange(harness.Downstream);
        var events = new[] { "rpt-58213", "rpt-58214", "rpt-58215" }
            .Select(id => SampleEvents.Load("ReportCanceledEvent", d => d["reportId"] = id))
            .ToList();
        var handles = new List<WorkflowHandle>();
        foreach (var parsed in events)
        {
            handles.Add(await harness.StartAsync(parsed));
            await RequestedAsync(handles[^1]);
        }

        var results = await ResultsAsync<ReportCanceledResult>(handles);

        Assert.Single(results.Select(r => r.Reports.AlgoliaTaskId).Distinct());
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        var pushes = harness.Downstream.Pusher.EventsOn("project-" + ProjectUuid);
        Assert.Equal(["rpt-58213", "rpt-58214", "rpt-58215"], pushes.Select(p => (string?)p.Payload!["reportId"]).Order(StringComparer.Ordinal));
        Assert.All(pushes, p => Assert.Equal("report-canceled", p.Name));
    }

    [TimeSkippingFact]
    public async Task Continuing_as_new_carries_the_requests_still_waiting_to_the_next_run()
    {
        var env = await temporal.TimeSkippingAsync();
        await using var harness = await WorkflowHarness.StartAsync(temporal, env, new Dictionary<string, string?>(Windows)
        {
            // Continue as new after every batch that leaves requests waiting.
            ["Coalescing:ContinueAsNewAfterEvents"] = "1",
        });
        Arrange(harness.Downstream);

        var first = await harness.StartAsync(SampleEvents.Load("ReportUpdatedEvent"));
        await RequestedAsync(first);

        // The batch's read is rate limited for a minute, so the next change arrives while it is written.
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectReportsPath(ProjectUuid), 429, retryAfterSeconds: 60);
        await env.DelayAsync(TimeSpan.FromSeconds(6));
        await Eventually.Async(
            () => harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid)).Count == 1,
            TimeSpan.FromSeconds(30),
            "the first batch's read");
        var second = await harness.StartAsync(SampleEvents.Load("ReportUpdatedEvent"));
        await RequestedAsync(second);

        var results = await ResultsAsync<ReportsSynced>([first, second]);

        Assert.NotEqual(results[0].AlgoliaTaskId, results[1].AlgoliaTaskId);
        var (firstId, firstRun) = Split(await SyncRunOfAsync(first));
        var (secondId, secondRun) = Split(await SyncRunOfAsync(second));
        Assert.Equal(firstId, secondId);
        Assert.NotEqual(firstRun, secondRun);
        var firstSync = await harness.Client.GetWorkflowHandle(firstId, firstRun).DescribeAsync();
        Assert.Equal(WorkflowExecutionStatus.ContinuedAsNew, firstSync.Status);
        Assert.Equal(2, harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST").Count);
    }

    /// <summary>
    /// The runs' results, awaited one after the other: each wait unlocks time skipping and locks it
    /// again after (TimeSkippingEnvironment), and the server's lock counts, so waits must not overlap.
    /// </summary>
    internal static async Task<TResult[]> ResultsAsync<TResult>(IReadOnlyList<WorkflowHandle> handles)
    {
        var results = new TResult[handles.Count];
        for (var i = 0; i < handles.Count; i++)
        {
            results[i] = await handles[i].GetResultAsync<TResult>();
        }

        return results;
    }

    /// <summary>Waits until the run has handed its change to the sync (its request activity completed).</summary>
    internal static Task RequestedAsync(WorkflowHandle handle) =>
        Eventually.Async(
            async () => (await handle.FetchHistoryAsync()).Events.Any(e =>
                e.EventType == EventType.ActivityTaskCompleted),
            TimeSpan.FromSeconds(30),
            $"{handle.Id} to hand its change to the sync");

    /// <summary>The sync run the event run names (memo <c>SyncRun</c>: "{workflow id} run {run id}").</summary>
    internal static async Task<string> SyncRunOfAsync(WorkflowHandle handle)
    {
        var description = await handle.DescribeAsync();
        Assert.True(description.Memo.TryGetValue("SyncRun", out var memo), $"{handle.Id} names no sync run");
        return await memo.ToValueAsync<string>();
    }

    internal static (string WorkflowId, string RunId) Split(string syncRun)
    {
        var parts = syncRun.Split(" run ");
        return (parts[0], parts[1]);
    }

    internal static List<string> ActivityTypes(WorkflowHistory history) =>
        [.. history.Events.Where(e => e.EventType == EventType.ActivityTaskScheduled).Select(e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name)];

    /// <summary>Resets the run to its first workflow task, as a re-run does, and returns a handle on the new run.</summary>
    internal static async Task<WorkflowHandle> ResetAsync(WorkflowHarness harness, WorkflowHandle handle)
    {
        var history = await handle.FetchHistoryAsync();
        var firstCompleted = history.Events.First(e => e.EventType == EventType.WorkflowTaskCompleted);
        var description = await handle.DescribeAsync();
        var response = await harness.Client.WorkflowService.ResetWorkflowExecutionAsync(new Temporalio.Api.WorkflowService.V1.ResetWorkflowExecutionRequest
        {
            Namespace = harness.Client.Options.Namespace,
            WorkflowExecution = new() { WorkflowId = handle.Id, RunId = description.RunId },
            Reason = "re-run after the Algolia key was fixed",
            WorkflowTaskFinishEventId = firstCompleted.EventId,
            RequestId = Guid.NewGuid().ToString(),
        });
        return harness.Client.GetWorkflowHandle(handle.Id, response.RunId);
    }

    private static void Arrange(DownstreamStandIns downstream)
    {
        downstream.Platform.Report(Prices).ProjectReports(ProjectUuid, Prices, Stock);
        downstream.Algolia.Record(Index, ProjectUuid, new JsonObject { ["name"] = "Acme Retail price tracking" });
    }

    private static string ExpectedReports() => new JsonArray(
        new JsonObject { ["id"] = "rpt-58213", ["name"] = "Daily prices", ["status"] = "active", ["updatedAt"] = "2026-11-20T10:00:00+00:00" },
        new JsonObject { ["id"] = "rpt-58214", ["name"] = "Stock levels", ["status"] = "paused", ["updatedAt"] = "2026-11-19T08:00:00+00:00" }).ToJsonString();
}
