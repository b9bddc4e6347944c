using System.Diagnostics;
using System.Globalization;
using EventProcessor.EmbeddedTemporal;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Worker;

namespace EventProcessor.Benchmarks;

public sealed class EngineActivities
{
    [Activity]
    public string Echo(string input) => input;
}

/// <summary>
/// The "engine" command: one-activity workflows through the embedded server with the real SDK
/// client and worker; prints workflows/s and p50/p99 start-to-result latency.
/// Then the visibility line: list and count latency over --visibility-runs closed runs (default 10000),
/// --visibility-queries queries (default 200; 0 skips the line).
/// Options: --workflows N (default 3000), --concurrency N (default 100), --warmup N (default 200).
/// </summary>
internal static class EngineBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkOptions(args);
        var total = options.Int("workflows", 3000);
        var concurrency = options.Int("concurrency", 100);
        var warmup = options.Int("warmup", 200);
        var visibilityRuns = options.Int("visibility-runs", 10_000);
        var visibilityQueries = options.Int("visibility-queries", 200);

        // TEMPORAL_ADDRESS points the benchmark at another server (a standalone embedded one, or a real one) for comparison.
        var external = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        await using var server = string.IsNullOrWhiteSpace(external) ? await EmbeddedTemporalServer.StartAsync() : null;
        var address = server?.Address ?? external!.Trim();
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address)
        {
            Namespace = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") is { Length: > 0 } ns ? ns : "default",
        });
        var taskQueue = $"engine-benchmark-{Guid.NewGuid():N}";
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue)
        {
            MaxConcurrentWorkflowTasks = 200,
            MaxConcurrentActivities = 200,
            MaxConcurrentWorkflowTaskPolls = 8,
            MaxConcurrentActivityTaskPolls = 8,
        }
            .AddWorkflow<OneActivityWorkflow>()
            .AddWorkflow<VisibilityProbeWorkflow>()
            .AddAllActivities(new EngineActivities()));

        using var stop = new CancellationTokenSource();
        var workerTask = worker.ExecuteAsync(stop.Token);

        Console.WriteLine($"engine: server {address}{(server is null ? " (external)" : " (embedded)")}, {Environment.ProcessorCount} cores, {total} workflows, {concurrency} in flight (+{warmup} warm-up)");
        await RunBatchAsync(client, taskQueue, warmup, concurrency);
        var stopwatch = Stopwatch.StartNew();
        var latencies = await RunBatchAsync(client, taskQueue, total, concurrency);
        stopwatch.Stop();

        latencies.Sort();
        var rate = total / stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine: {total} one-activity workflows in {stopwatch.Elapsed.TotalSeconds:F2} s = {rate:F0} workflows/s; " +
            $"start-to-result latency p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms"));

        if (visibilityQueries > 0)
        {
            await VisibilityBenchmark.RunAsync(client, taskQueue, visibilityRuns, visibilityQueries, concurrency);
        }

        await stop.CancelAsync();
        try
        {
            await workerTask;
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    private static async Task<List<double>> RunBatchAsync(TemporalClient client, string taskQueue, int count, int concurrency)
    {
        var latencies = new List<double>(count);
        var next = -1;
        var runners = Enumerable.Range(0, Math.Min(concurrency, Math.Max(count, 1))).Select(async _ =>
        {
            var mine = new List<double>();
            while (Interlocked.Increment(ref next) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await client.ExecuteWorkflowAsync(
                    (OneActivityWorkflow wf) => wf.RunAsync("ping"),
                    new WorkflowOptions($"engine-{Guid.NewGuid():N}", taskQueue));
                if (result != "ping")
                {
                    throw new InvalidOperationException($"unexpected result {result}");
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return mine;
        }).ToList();
        foreach (var runner in runners)
        {
            latencies.AddRange(await runner);
        }

        return latencies;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
