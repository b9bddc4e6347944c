using EventProcessor.EmbeddedTemporal.State;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>Workflow task long polls and their completions, failures and query answers.</summary>
internal sealed class WorkflowTaskHandlers(ServerContext server)
{
    public async Task<PollWorkflowTaskQueueResponse> PollWorkflowTaskQueue(PollWorkflowTaskQueueRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var queue = server.Matching.WorkflowQueue(ns.Name, Requests.TaskQueue(request.TaskQueue));
        var response = await LongPoll.TakeAsync(server, queue, context, task => task.TryStart(request)).ConfigureAwait(false);
        if (response is not null)
        {
            response.BacklogCountHint = queue.Backlog;
        }

        return response ?? new PollWorkflowTaskQueueResponse();
    }

    public Task<RespondWorkflowTaskCompletedResponse> RespondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest request, ServerCallContext context)
    {
        var (ns, token) = Parse(request.Namespace, request.TaskToken);
        lock (ns.Sync)
        {
            var run = FindRun(ns, token);
            run.EnsureStartedTask(token);
            run.CompleteWorkflowTask(request);
        }

        return Task.FromResult(new RespondWorkflowTaskCompletedResponse());
    }

    public Task<RespondWorkflowTaskFailedResponse> RespondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest request, ServerCallContext context)
    {
        var (ns, token) = Parse(request.Namespace, request.TaskToken);
        lock (ns.Sync)
        {
            var run = FindRun(ns, token);
            run.EnsureStartedTask(token);
            run.FailWorkflowTask(request);
        }

        return Task.FromResult(new RespondWorkflowTaskFailedResponse());
    }

    public Task<RespondQueryTaskCompletedResponse> RespondQueryTaskCompleted(RespondQueryTaskCompletedRequest request, ServerCallContext context)
    {
        Requests.Namespace(server, request.Namespace);
        var token = TaskToken.Parse(request.TaskToken, TaskTokenKind.Query);
        if (token.QueryId is null || !server.PendingQueries.TryRemove(token.QueryId, out var query))
        {
            throw RpcErrors.NotFound("query task not found, or already expired");
        }

        if (request.CompletedType == QueryResultType.Answered)
        {
            query.Result.TrySetResult(new QueryWorkflowResponse { QueryResult = request.QueryResult });
        }
        else
        {
            query.Result.TrySetException(RpcErrors.QueryFailed(string.IsNullOrEmpty(request.ErrorMessage) ? "query failed" : request.ErrorMessage));
        }

        return Task.FromResult(new RespondQueryTaskCompletedResponse());
    }

    private (TemporalNamespace Ns, TaskToken Token) Parse(string nsName, Google.Protobuf.ByteString taskToken)
    {
        var token = TaskToken.Parse(taskToken, TaskTokenKind.Workflow);
        var ns = Requests.Namespace(server, string.IsNullOrEmpty(nsName) ? token.Namespace : nsName);
        return (ns, token);
    }

    private static WorkflowExecution FindRun(TemporalNamespace ns, TaskToken token) =>
        ns.FindRun(token.WorkflowId, token.RunId) ?? throw RpcErrors.NotFound("Workflow task not found.");
}
