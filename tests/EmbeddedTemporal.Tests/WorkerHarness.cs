using EventProcessor.TestSupport;
using Temporalio.Worker;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>Runs a real Temporalio worker for the duration of a test body, in either cache mode.</summary>
public static class WorkerHarness
{
    public static async Task RunAsync(
        TemporalServerFixture fixture,
        string taskQueue,
        bool cache,
        Func<Task> body,
        TestActivities? activities = null)
    {
        var options = new TemporalWorkerOptions(taskQueue)
            .AddWorkflow<ActivityCallWorkflow>()
            .AddWorkflow<CancelActivityWorkflow>()
            .AddWorkflow<TimerWorkflow>()
            .AddWorkflow<SignalQueryWorkflow>()
            .AddWorkflow<WaitingWorkflow>()
            .AddWorkflow<FlakyTaskWorkflow>()
            .AddWorkflow<QuickWorkflow>()
            .AddWorkflow<FailingWorkflow>()
            .AddWorkflow<RetriedWorkflow>()
            .AddWorkflow<FailUntilResetWorkflow>()
            .AddWorkflow<CountdownWorkflow>()
            .AddWorkflow<ParentWorkflow>()
            .AddWorkflow<ExternalCallerWorkflow>()
            .AddAllActivities(activities ?? new TestActivities());
        if (!cache)
        {
            options.MaxCachedWorkflows = 0;
        }

        using var worker = new TemporalWorker(fixture.Client, options);
        await worker.ExecuteAsync(body);
    }
}
