using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.State;

/// <summary>A QueryWorkflow call waiting for a worker's RespondQueryTaskCompleted.</summary>
internal sealed class QueryTask(QueryWorkflowRequest request)
{
    public string Id { get; } = Guid.NewGuid().ToString();

    public QueryWorkflowRequest Request { get; } = request;

    public TaskCompletionSource<QueryWorkflowResponse> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
