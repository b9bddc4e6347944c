using EventProcessor.EmbeddedTemporal.State;
using Grpc.Core;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>Activity task long polls, heartbeats and completions.</summary>
internal sealed class ActivityTaskHandlers(ServerContext server)
{
    public async Task<PollActivityTaskQueueResponse> PollActivityTaskQueue(PollActivityTaskQueueRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var queue = server.Matching.ActivityQueue(ns.Name, Requests.TaskQueue(request.TaskQueue));
        var response = await LongPoll.TakeAsync(server, queue, context, task => task.TryStart(request)).ConfigureAwait(false);
        return response ?? new PollActivityTaskQueueResponse();
    }

    public Task<RecordActivityTaskHeartbeatResponse> RecordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(WithActivity(request.Namespace, request.TaskToken, (run, activity) =>
            new RecordActivityTaskHeartbeatResponse { CancelRequested = run.Activities.Heartbeat(activity, request.Details) }));

    public Task<RespondActivityTaskCompletedResponse> RespondActivityTaskCompleted(RespondActivityTaskCompletedRequest request, ServerCallContext context) =>
        Task.FromResult(WithActivity(request.Namespace, request.TaskToken, (run, activity) =>
        {
            run.Activities.Complete(activity, request.Result, request.Identity);
            return new RespondActivityTaskCompletedResponse();
        }));

    public Task<RespondActivityTaskFailedResponse> RespondActivityTaskFailed(RespondActivityTaskFailedRequest request, ServerCallContext context)
    {
        if (request.Failure is null)
        {
            throw RpcErrors.InvalidArgument("Failure is not set on request.");
        }

        return Task.FromResult(WithActivity(request.Namespace, request.TaskToken, (run, activity) =>
        {
            run.Activities.Fail(activity, request.Failure, request.LastHeartbeatDetails, request.Identity);
            return new RespondActivityTaskFailedResponse();
        }));
    }

    public Task<RespondActivityTaskCanceledResponse> RespondActivityTaskCanceled(RespondActivityTaskCanceledRequest request, ServerCallContext context) =>
        Task.FromResult(WithActivity(request.Namespace, request.TaskToken, (run, activity) =>
        {
            run.Activities.Canceled(activity, request.Details, request.Identity);
            return new RespondActivityTaskCanceledResponse();
        }));

    private T WithActivity<T>(string nsName, Google.Protobuf.ByteString taskToken, Func<WorkflowExecution, ActivityInfo, T> action)
    {
        var token = TaskToken.Parse(taskToken, TaskTokenKind.Activity);
        var ns = Requests.Namespace(server, string.IsNullOrEmpty(nsName) ? token.Namespace : nsName);
        lock (ns.Sync)
        {
            var run = ns.FindRun(token.WorkflowId, token.RunId)
                ?? throw RpcErrors.NotFound("invalid activityID or activity already timed out or invoking workflow is completed");
            return action(run, run.Activities.GetStarted(token));
        }
    }
}
