using Temporalio.Workflows;

namespace EventProcessor.Benchmarks.Pipeline;

/// <summary>
/// Stays open until signalled, so the worker keeps it cached: the pipeline benchmark parks
/// 1,000 and 10,000 of these to read the worker's resident memory per cached workflow.
/// </summary>
[Workflow]
public sealed class ParkedWorkflow
{
    private static long firstTasks;
    private bool released;

    /// <summary>Runs whose first workflow task the worker has completed in this process (so they are in its cache).</summary>
    public static long FirstTasks => Interlocked.Read(ref firstTasks);

    [WorkflowRun]
    public async Task RunAsync()
    {
        // Benchmark bookkeeping only, outside any decision: counted once per run, never on replay.
        if (!Workflow.Unsafe.IsReplaying)
        {
            Interlocked.Increment(ref firstTasks);
        }

        await Workflow.WaitConditionAsync(() => released);
    }

    [WorkflowSignal]
    public Task ReleaseAsync()
    {
        released = true;
        return Task.CompletedTask;
    }
}
