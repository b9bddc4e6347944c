using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.DevHost;
using EventProcessor.DownstreamStubs;
using EventProcessor.Intake;
using EventProcessor.LambdaTrigger.Starting;
using EventProcessor.Workflows.Common;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.Benchmarks.Pipeline;

/// <summary>
/// <c>burst</c>: a bulk edit's burst of ReportUpdated about one project, through the same path as
/// <c>pipeline</c> (the local run's intake <c>POST /events</c>, the worker, the stand-ins). The
/// platform's report list changes during the burst (as a bulk edit does), so "final object equal to
/// the platform" checks that the last write read the last state. Printed: runs completed, Algolia
/// writes and platform reads for the project (from the WireMock stubs' request logs), whether the
/// final search object equals the platform's state, and Temporal actions per event (the billable
/// model of docs/actions.md, over the event runs and the sync runs that served them), once with
/// coalescing (section <c>Coalescing</c>, default windows unless --quiet/--max) and once with
/// <c>Coalescing:Enabled=false</c>, the per-event sync (skip with --no-baseline).
/// Options: --events N (500), --concurrency N (16), --quiet SECONDS (5), --max SECONDS (30).
/// </summary>
internal static class BurstBenchmark
{
    private const string ProjectUuid = SampleWorld.ProjectUuid;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkOptions(args);
        var events = options.Int("events", 500);
        var concurrency = options.Int("concurrency", 16);
        var quiet = options.Int("quiet", 5);
        var max = options.Int("max", 30);
        var sample = SampleFile.Load(SampleFile.FindDirectory()).Single(s => s.DetailType == "ReportUpdatedEvent");
        Console.WriteLine($"burst benchmark: {events} ReportUpdated for project {ProjectUuid}, concurrency {concurrency}, windows quiet {quiet} s / max {max} s, load average {ColdInitProbe.LoadAverage()}");

        var coalesced = await MeasureAsync(sample, events, concurrency, new Dictionary<string, string?>
        {
            ["Coalescing:Enabled"] = "true",
            ["Coalescing:QuietPeriod"] = TimeSpan.FromSeconds(quiet).ToString("c", CultureInfo.InvariantCulture),
            ["Coalescing:MaxDelay"] = TimeSpan.FromSeconds(max).ToString("c", CultureInfo.InvariantCulture),
        });
        Console.WriteLine($"coalesced            : {coalesced.Describe()}");
        var ok = coalesced.Ok(events) && coalesced.AlgoliaWrites <= 3 && coalesced.PlatformReads <= 3;

        if (!args.Contains("--no-baseline"))
        {
            var perEvent = await MeasureAsync(sample, events, concurrency, new Dictionary<string, string?> { ["Coalescing:Enabled"] = "false" });
            Console.WriteLine($"per event (off)      : {perEvent.Describe()}");
            ok &= perEvent.Ok(events);
        }

        // Before coalescing, from the saved happy-path history of docs/actions.md: start, the platform read and the Algolia write.
        Console.WriteLine("before coalescing    : 3 Temporal actions per event (docs/actions.md, ReportUpdatedEventWorkflow), 1 platform read and 1 Algolia write per event");
        Console.WriteLine($"burst: {(ok ? "MET" : "NOT MET")} (all runs completed, at most 3 Algolia writes and 3 platform reads, final object equal to the platform)");
        return ok ? 0 : 1;
    }

    private static async Task<Outcome> MeasureAsync(SampleFile sample, int count, int concurrency, Dictionary<string, string?> settings)
    {
        await using var run = await LocalRun.StartAsync(new LocalRunOptions
        {
            FreshEventIds = true,
            ConsoleLogLevel = LogLevel.Error,
            SampleTimeout = TimeSpan.FromMinutes(2),
            Settings = settings,
        });
        var downstream = run.Downstream ?? throw new InvalidOperationException("The burst benchmark counts the stand-ins' requests: run it without real endpoints (no Jira__BaseUrl).");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var readsBefore = downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid), "GET").Count;
        var writesBefore = downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(DownstreamStandIns.ProjectsIndex, ProjectUuid), "POST").Count;

        // The bulk edit renames the project's first report as it goes: the platform's list changes ten times during the burst.
        var clock = Stopwatch.StartNew();
        StubPlatformReport[] state = [];
        using var gate = new SemaphoreSlim(concurrency);
        var posted = 0;
        var runs = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                lock (gate)
                {
                    if (posted++ % Math.Max(1, count / 10) == 0)
                    {
                        state = [SampleWorld.DailyPrices with { Name = $"Daily prices DE (edit {posted})", UpdatedAt = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero).AddMinutes(posted) }];
                        downstream.Platform.ProjectReports(ProjectUuid, state);
                    }
                }

                return await PostAsync(http, run.Url, sample.WithNewEventId());
            }
            finally
            {
                gate.Release();
            }
        }));
        var completed = 0;
        foreach (var started in runs)
        {
            try
            {
                await run.Temporal.Client.GetWorkflowHandle(started.WorkflowId, started.RunId).GetResultAsync();
                completed++;
            }
            catch (WorkflowFailedException e)
            {
                Console.Error.WriteLine($"  {started.WorkflowId} failed: {e.InnerException?.Message ?? e.Message}");
            }
        }

        var elapsed = clock.Elapsed;
        var reads = downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectReportsPath(ProjectUuid), "GET").Count - readsBefore;
        var writes = downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(DownstreamStandIns.ProjectsIndex, ProjectUuid), "POST").Count - writesBefore;
        var equal = SameReports(downstream.Algolia.RecordOf(DownstreamStandIns.ProjectsIndex, ProjectUuid)?["reports"], state);
        var (actions, syncRuns) = await ActionsAsync(run.Temporal.Client, runs);
        return new Outcome(count, completed, reads, writes, equal, actions / count, syncRuns, elapsed);
    }

    /// <summary>Billable actions of every event run plus every sync run that answered one (named by the runs' <c>SyncRun</c> memo).</summary>
    private static async Task<(double Actions, int SyncRuns)> ActionsAsync(TemporalClient client, IReadOnlyList<WorkflowStartResult> runs)
    {
        var total = 0;
        var syncRuns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var started in runs)
        {
            var handle = client.GetWorkflowHandle(started.WorkflowId, started.RunId);
            total += BillableActions.Count(await handle.FetchHistoryAsync());
            var description = await handle.DescribeAsync();
            if (description.Memo.TryGetValue("SyncRun", out var memo))
            {
                syncRuns.Add(await memo.ToValueAsync<string>());
            }
        }

        foreach (var syncRun in syncRuns)
        {
            var parts = syncRun.Split(" run ");
            total += BillableActions.Count(await client.GetWorkflowHandle(parts[0], parts[1]).FetchHistoryAsync());
        }

        return (total, syncRuns.Count);
    }

    private static bool SameReports(JsonNode? written, IReadOnlyList<StubPlatformReport> platform)
    {
        if (written is not JsonArray array || array.Count != platform.Count)
        {
            return false;
        }

        return array.Zip(platform).All(pair =>
            (string?)pair.First!["id"] == pair.Second.Id
            && (string?)pair.First["name"] == pair.Second.Name
            && (string?)pair.First["status"] == pair.Second.Status
            && DateTimeOffset.Parse((string)pair.First["updatedAt"]!, CultureInfo.InvariantCulture) == pair.Second.UpdatedAt);
    }

    private static async Task<WorkflowStartResult> PostAsync(HttpClient http, string url, SampleFile sample)
    {
        using var content = new ByteArrayContent(sample.Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri($"{url}/events"), content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The intake answered {(int)response.StatusCode}: {body}");
        }

        return JsonSerializer.Deserialize(body, IntakeJsonContext.Default.IntakeAccepted)!.Workflows.Single();
    }

    private sealed record Outcome(int Events, int Completed, int PlatformReads, int AlgoliaWrites, bool FinalEqual, double ActionsPerEvent, int SyncRuns, TimeSpan Elapsed)
    {
        public bool Ok(int events) => Completed == events && FinalEqual;

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Completed} of {Events} runs completed in {Elapsed.TotalSeconds:F1} s; project {ProjectUuid}: {AlgoliaWrites} Algolia writes, {PlatformReads} platform reads; final object equal to the platform: {(FinalEqual ? "yes" : "no")}; {ActionsPerEvent:F2} Temporal actions per event ({SyncRuns} sync runs)");
    }
}
