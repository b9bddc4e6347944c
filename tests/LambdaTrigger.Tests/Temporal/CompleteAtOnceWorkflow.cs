using Temporalio.Converters;
using Temporalio.Workflows;

namespace EventProcessor.LambdaTrigger.Tests.Temporal;

/// <summary>
/// Stands in for every event workflow (dynamic: any type name of the catalog) and completes at
/// once, so tests can see what happens when an event is redelivered after its run closed.
/// </summary>
[Workflow(Dynamic = true)]
public sealed class CompleteAtOnceWorkflow
{
#pragma warning disable CA1822 // Workflow run methods are instance methods by contract.
    [WorkflowRun]
    public Task<string> RunAsync(IRawValue[] args) => Task.FromResult(Workflow.Info.WorkflowType);
#pragma warning restore CA1822
}
