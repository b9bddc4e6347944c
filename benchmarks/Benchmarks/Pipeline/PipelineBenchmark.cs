using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EventProcessor.DevHost;
using EventProcessor.Intake;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Extensions.Hosting;

namespace EventProcessor.Benchmarks.Pipeline;

/// <summary>
/// <c>pipeline</c>: what users feel, an event in and its side effects done. One process holds the
/// local run (src/DevHost LocalRun: the intake, the embedded Temporal server unless
/// TEMPORAL_ADDRESS, the worker, the downstream stand-ins); events are a mix of all 29 sample
/// types with fresh ids, posted to <c>POST /events</c>.
/// <list type="number">
/// <item>mix, as fast as possible: events/s from the first post to the last run closed;</item>
/// <item>mix at a fixed rate (half the saturation rate): start-to-close p50/p95/p99, Temporal
/// actions and downstream requests per event;</item>
/// <item>baseline, as fast as possible: the same workflows with every activity answered at once by
/// <see cref="ActivityReplay"/>; the ratio mix ÷ baseline (goal ≥ 0.85);</item>
/// <item>the worker's resident memory with 1,000 and 10,000 cached (open) workflows.</item>
/// </list>
/// Options: --events N (default 290, ten of each type), --rate-events N (145), --concurrency N (16),
/// --cached LIST (1000,10000; "none" skips), --rate R (events/s; default half the saturation rate).
/// </summary>
internal static class PipelineBenchmark
{
    private const double RatioGoal = 0.85;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkOptions(args);
        var events = options.Int("events", 290);
        var rateEvents = options.Int("rate-events", 145);
        var concurrency = options.Int("concurrency", 16);
        var cachedText = TriggerBenchmark.StringOption(args, "cached") ?? "1000,10000";
        var cached = cachedText == "none" ? [] : cachedText.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Order().ToArray();

        var replay = new ActivityReplay();
        await using var run = await LocalRun.StartAsync(new LocalRunOptions
        {
            FreshEventIds = true,
            ConsoleLogLevel = LogLevel.Error,
            SampleTimeout = TimeSpan.FromMinutes(2),

            // Big enough for the memory phase's open workflows; the throughput phases never have as many open.
            Settings = new Dictionary<string, string?> { ["Worker:MaxCachedWorkflows"] = Math.Max(1000, cached.LastOrDefault()).ToString(CultureInfo.InvariantCulture) },
            ConfigureWorker = worker =>
            {
                worker.AddWorkflow<ParkedWorkflow>();
                worker.ConfigureOptions().Configure(o => o.Interceptors = [.. o.Interceptors ?? [], replay]);
            },
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var samples = SampleFile.Load(SampleFile.FindDirectory());
        var pipeline = new Pipeline(run, http, samples);
        Console.WriteLine($"pipeline benchmark: {samples.Count} event types, Temporal {run.Temporal.Address} ({(run.Temporal.IsEmbedded ? "embedded" : "TEMPORAL_ADDRESS")}), intake {run.Url}/events, encryption {(run.Encryption.Enabled ? "on" : "off")}, load average {ColdInitProbe.LoadAverage()}");

        // Warm-up: every type once, which also records the activity results the baseline replays.
        await pipeline.BurstAsync(samples.Count, concurrency);

        var mix = await pipeline.BurstAsync(events, concurrency);
        Console.WriteLine($"mix, saturation      : {mix.Describe()}");

        var rate = TriggerBenchmark.StringOption(args, "rate") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : Math.Max(1, mix.EventsPerSecond / 2);
        var steady = await pipeline.FixedRateAsync(rateEvents, rate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mix, fixed {rate:F1}/s  : {steady.Describe()}"));
        var actions = await pipeline.ActionsPerEventAsync(steady.Runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per event (mix)      : {actions:F2} Temporal actions (one run of each type, billable-action model of docs/actions.md), {mix.DownstreamRequests / (double)mix.Events:F2} downstream requests"));

        Console.WriteLine("activities run for real so far, by total time (count, mean):");
        foreach (var (type, count, total) in replay.Timings().Take(8))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {type,-40} {count,5} x {total.TotalMilliseconds / count,7:F1} ms = {total.TotalSeconds:F2} s"));
        }

        replay.Replaying = true;
        var executedBefore = replay.Executed;
        var baseline = await pipeline.BurstAsync(events, concurrency);
        replay.Replaying = false;
        Console.WriteLine($"baseline, saturation : {baseline.Describe()}; activities answered at once: {replay.Replayed}, run for real: {replay.Executed - executedBefore} (no recorded result)");

        if (cached.Length > 0)
        {
            await pipeline.MeasureCacheMemoryAsync(cached);
        }

        var ratio = mix.EventsPerSecond / baseline.EventsPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio goal >= {RatioGoal:F2}: {(ratio >= RatioGoal ? "MET" : "NOT MET")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline: mix {mix.EventsPerSecond:F1} events/s, baseline {baseline.EventsPerSecond:F1} events/s, ratio {ratio:F2}"));
        return mix.Failed + baseline.Failed + steady.Failed == 0 ? 0 : 1;
    }

    private sealed class Pipeline(LocalRun run, HttpClient http, IReadOnlyList<SampleFile> samples)
    {
        private int next;

        public async Task<Phase> BurstAsync(int count, int concurrency)
        {
            var batch = Take(count);
            var requestsBefore = DownstreamRequests();
            using var gate = new SemaphoreSlim(concurrency);
            var clock = Stopwatch.StartNew();
            var runs = await Task.WhenAll(batch.Select(async sample =>
            {
                await gate.WaitAsync();
                try
                {
                    return await PostAsync(sample);
                }
                finally
                {
                    gate.Release();
                }
            }));
            var outcomes = await Task.WhenAll(runs.Select(CloseAsync));
            var elapsed = clock.Elapsed;
            return new Phase(count, elapsed, outcomes.Count(ok => !ok), DownstreamRequests() - requestsBefore, runs, []);
        }

        public async Task<Phase> FixedRateAsync(int count, double perSecond)
        {
            var batch = Take(count);
            var interval = TimeSpan.FromSeconds(1 / perSecond);
            var clock = Stopwatch.StartNew();
            var tasks = new List<Task<(WorkflowStartResult Run, bool Ok)>>(count);
            for (var i = 0; i < count; i++)
            {
                var due = interval * i;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var sample = batch[i];
                tasks.Add(Task.Run(async () =>
                {
                    var started = await PostAsync(sample);
                    return (started, await CloseAsync(started));
                }));
            }

            var done = await Task.WhenAll(tasks);
            var elapsed = clock.Elapsed;
            var startToClose = new List<double>(count);
            foreach (var (started, ok) in done.Where(d => d.Ok))
            {
                var description = await run.Temporal.Client.GetWorkflowHandle(started.WorkflowId, started.RunId).DescribeAsync();
                startToClose.Add((description.CloseTime!.Value - description.StartTime).TotalMilliseconds);
            }

            return new Phase(count, elapsed, done.Count(d => !d.Ok), 0, [.. done.Select(d => d.Run)], startToClose);
        }

        /// <summary>Mean billable actions over one closed run of each type: the mix sends every type equally often.</summary>
        public async Task<double> ActionsPerEventAsync(IReadOnlyList<WorkflowStartResult> runs)
        {
            var oneOfEach = runs.GroupBy(r => r.WorkflowId[..^37]).Select(g => g.First()).ToList();
            var counts = new List<int>(oneOfEach.Count);
            foreach (var r in oneOfEach)
            {
                counts.Add(EventProcessor.Workflows.Common.BillableActions.Count(await run.Temporal.Client.GetWorkflowHandle(r.WorkflowId, r.RunId).FetchHistoryAsync()));
            }

            return counts.Average();
        }

        public async Task MeasureCacheMemoryAsync(int[] levels)
        {
            var client = run.Temporal.Client;
            var ids = new List<string>();
            var prefix = $"parked-{Guid.NewGuid():N}";
            var before = ResidentMegabytes();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory, process RSS  : {before:F0} MB before parking (one process: worker, embedded server, intake, stand-ins)"));
            foreach (var level in levels)
            {
                var clock = Stopwatch.StartNew();
                var target = ParkedWorkflow.FirstTasks + (level - ids.Count);
                using var gate = new SemaphoreSlim(64);
                await Task.WhenAll(Enumerable.Range(ids.Count, level - ids.Count).Select(async i =>
                {
                    var id = $"{prefix}-{i}";
                    await gate.WaitAsync();
                    try
                    {
                        await client.StartWorkflowAsync((ParkedWorkflow w) => w.RunAsync(), new WorkflowOptions(id, LocalRun.TaskQueue));
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
                ids.AddRange(Enumerable.Range(ids.Count, level - ids.Count).Select(i => $"{prefix}-{i}"));
                while (ParkedWorkflow.FirstTasks < target)
                {
                    await Task.Delay(100);
                }

                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var rss = ResidentMegabytes();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"memory, {level,6} cached: process RSS {rss:F0} MB (+{rss - before:F0} MB, {(rss - before) * 1024 / level:F1} KB per cached workflow, worker and server state together), managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB; parked in {clock.Elapsed.TotalSeconds:F1} s"));
            }

            if (!run.Temporal.IsEmbedded)
            {
                // A real server keeps what it is given: do not leave thousands of open runs behind.
                using var gate = new SemaphoreSlim(64);
                await Task.WhenAll(ids.Select(async id =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        await client.GetWorkflowHandle(id).TerminateAsync("pipeline benchmark finished");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
        }

        private static double ResidentMegabytes()
        {
            using var self = Process.GetCurrentProcess();
            return self.WorkingSet64 / 1048576.0;
        }

        private List<SampleFile> Take(int count) =>
            [.. Enumerable.Range(0, count).Select(_ => samples[Interlocked.Increment(ref next) % samples.Count].WithNewEventId())];

        private long DownstreamRequests() => run.Downstream?.RequestCounts.Values.Sum() ?? 0;

        private async Task<WorkflowStartResult> PostAsync(SampleFile sample)
        {
            using var content = new ByteArrayContent(sample.Json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri($"{run.Url}/events"), content);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"The intake answered {(int)response.StatusCode} for {sample.DetailType}: {body}");
            }

            return JsonSerializer.Deserialize(body, IntakeJsonContext.Default.IntakeAccepted)!.Workflows.Single();
        }

        private async Task<bool> CloseAsync(WorkflowStartResult started)
        {
            try
            {
                await run.Temporal.Client.GetWorkflowHandle(started.WorkflowId, started.RunId).GetResultAsync();
                return true;
            }
            catch (WorkflowFailedException e)
            {
                Console.Error.WriteLine($"  {started.WorkflowId} failed: {e.InnerException?.Message ?? e.Message}");
                return false;
            }
        }
    }

    private sealed record Phase(int Events, TimeSpan Elapsed, int Failed, long DownstreamRequests, IReadOnlyList<WorkflowStartResult> Runs, List<double> StartToCloseMs)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;

        public string Describe()
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{Events} events in {Elapsed.TotalSeconds:F2} s = {EventsPerSecond:F1} events/s, {Failed} failed");
            if (StartToCloseMs.Count == 0)
            {
                return text;
            }

            var sorted = StartToCloseMs.Order().ToList();
            double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * q) - 1)];
            return text + string.Create(CultureInfo.InvariantCulture, $"; start-to-close p50 {P(0.50):F0} ms, p95 {P(0.95):F0} ms, p99 {P(0.99):F0} ms");
        }
    }
}
