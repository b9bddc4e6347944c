using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.ErrorDetails.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>The gRPC errors a real Temporal frontend answers, with their detail messages where the SDK reads them.</summary>
internal static class RpcErrors
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => WithDetail(StatusCode.NotFound, message, new NotFoundFailure());

    public static RpcException AlreadyExists(string message) => new(new Status(StatusCode.AlreadyExists, message));

    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    public static RpcException NamespaceNotFound(string ns) =>
        WithDetail(StatusCode.NotFound, $"Namespace {ns} is not found.", new NamespaceNotFoundFailure { Namespace = ns });

    public static RpcException WorkflowNotFound() => NotFound("workflow execution not found");

    public static RpcException WorkflowCompleted() => NotFound("workflow execution already completed");

    public static RpcException AlreadyStarted(string workflowId, string runId, string startRequestId) =>
        WithDetail(
            StatusCode.AlreadyExists,
            $"Workflow execution is already running. WorkflowId: {workflowId}, RunId: {runId}.",
            new WorkflowExecutionAlreadyStartedFailure { RunId = runId, StartRequestId = startRequestId });

    public static RpcException QueryFailed(string message) => WithDetail(StatusCode.InvalidArgument, message, new QueryFailedFailure());

    /// <summary>An error whose <c>grpc-status-details-bin</c> trailer carries a <c>google.rpc.Status</c> with one detail.</summary>
    public static RpcException WithDetail(StatusCode code, string message, Google.Protobuf.IMessage detail)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(detail));
        return status.ToRpcException();
    }
}
