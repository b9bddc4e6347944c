using EventProcessor.TestSupport;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

public static class FixtureExtensions
{
    /// <summary>The raw DescribeWorkflowExecution answer (pending activities, workflow task, config).</summary>
    public static Task<DescribeWorkflowExecutionResponse> DescribeRawAsync(this TemporalServerFixture fixture, WorkflowHandle handle) =>
        fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id, RunId = handle.ResultRunId ?? string.Empty },
        });
}
