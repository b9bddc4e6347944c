using Temporalio.Workflows;

namespace EventProcessor.Benchmarks;

[Workflow]
public sealed class OneActivityWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string input) =>
        Workflow.ExecuteActivityAsync(
            (EngineActivities a) => a.Echo(input),
            new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}
