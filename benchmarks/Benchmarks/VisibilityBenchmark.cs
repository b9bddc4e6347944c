using System.Diagnostics;
using System.Globalization;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Workflows;

namespace EventProcessor.Benchmarks;

/// <summary>Completes at once: cheap closed runs for the visibility benchmark.</summary>
[Workflow]
public sealed class VisibilityProbeWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int index) => Task.FromResult(index);
}

/// <summary>
/// The visibility part of the "engine" command: fills the server with closed runs, then measures
/// ListWorkflowExecutions latency for a filter over them (first page of 100) and CountWorkflowExecutions.
/// </summary>
internal static class VisibilityBenchmark
{
    public static async Task RunAsync(TemporalClient client, string taskQueue, int closedRuns, int queries, int concurrency)
    {
        var prefix = $"vis-{Guid.NewGuid():N}";
        var next = -1;
        var fill = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < closedRuns)
            {
                await client.ExecuteWorkflowAsync(
                    (VisibilityProbeWorkflow wf) => wf.RunAsync(i),
                    new WorkflowOptions($"{prefix}-{i:D6}", taskQueue));
            }
        }));
        fill.Stop();

        // Roughly a tenth of the runs match: a realistic support query, not a full scan of everything.
        var query = $"WorkflowType = 'VisibilityProbeWorkflow' AND ExecutionStatus = 'Completed' AND WorkflowId STARTS_WITH '{prefix}-0001' "
            + $"OR (WorkflowId >= '{prefix}-000500' AND WorkflowId < '{prefix}-000600')";
        var request = new ListWorkflowExecutionsRequest { Namespace = client.Options.Namespace, Query = query, PageSize = 100 };
        var first = await client.WorkflowService.ListWorkflowExecutionsAsync(request);
        if (first.Executions.Count == 0)
        {
            throw new InvalidOperationException("the visibility query matched nothing");
        }

        var listLatencies = new List<double>(queries);
        var countLatencies = new List<double>(queries);
        for (var q = 0; q < queries; q++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.WorkflowService.ListWorkflowExecutionsAsync(request);
            listLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await client.CountWorkflowsAsync("ExecutionStatus = 'Completed' GROUP BY ExecutionStatus");
            countLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        listLatencies.Sort();
        countLatencies.Sort();
        var total = await client.CountWorkflowsAsync("ExecutionStatus = 'Completed'");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"visibility: {closedRuns} closed runs added in {fill.Elapsed.TotalSeconds:F1} s ({total.Count} closed in the namespace); " +
            $"list (filter, page of 100) p50 {Percentile(listLatencies, 0.50):F2} ms, p99 {Percentile(listLatencies, 0.99):F2} ms; " +
            $"count group-by p50 {Percentile(countLatencies, 0.50):F2} ms, p99 {Percentile(countLatencies, 0.99):F2} ms ({queries} queries each)"));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
