using EventProcessor.EmbeddedTemporal.State;
using Google.Protobuf.WellKnownTypes;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>Request checks shared by the handlers, with the messages a real frontend gives.</summary>
internal static class Requests
{
    public const int MaxIdLength = 1000;

    public static TemporalNamespace Namespace(ServerContext server, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw RpcErrors.InvalidArgument("Namespace not set on request.");
        }

        return server.TryGetNamespace(name, out var ns) ? ns : throw RpcErrors.NamespaceNotFound(name);
    }

    public static string WorkflowId(string? workflowId)
    {
        if (string.IsNullOrEmpty(workflowId))
        {
            throw RpcErrors.InvalidArgument("WorkflowId is not set on request.");
        }

        return workflowId.Length <= MaxIdLength ? workflowId : throw RpcErrors.InvalidArgument("WorkflowId exceeds length limit.");
    }

    public static Temporalio.Api.Common.V1.WorkflowExecution Execution(Temporalio.Api.Common.V1.WorkflowExecution? execution)
    {
        if (execution is null)
        {
            throw RpcErrors.InvalidArgument("Execution is not set on request.");
        }

        WorkflowId(execution.WorkflowId);
        if (!string.IsNullOrEmpty(execution.RunId) && !Guid.TryParse(execution.RunId, out _))
        {
            throw RpcErrors.InvalidArgument("Invalid RunId.");
        }

        return execution;
    }

    public static string TaskQueue(Temporalio.Api.TaskQueue.V1.TaskQueue? taskQueue)
    {
        if (string.IsNullOrEmpty(taskQueue?.Name))
        {
            throw RpcErrors.InvalidArgument("Missing task queue name.");
        }

        return taskQueue.Name.Length <= MaxIdLength ? taskQueue.Name : throw RpcErrors.InvalidArgument("TaskQueue length exceeds limit.");
    }

    public static TimeSpan? Timeout(Duration? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        var span = value.ToTimeSpan();
        if (span < TimeSpan.Zero)
        {
            throw RpcErrors.InvalidArgument($"Invalid {name}.");
        }

        return span == TimeSpan.Zero ? null : span;
    }

    /// <summary>Finds a run, answering NOT_FOUND as a real server does.</summary>
    public static WorkflowExecution Run(TemporalNamespace ns, Temporalio.Api.Common.V1.WorkflowExecution? execution)
    {
        var e = Execution(execution);
        return ns.FindRun(e.WorkflowId, e.RunId) ?? throw RpcErrors.WorkflowNotFound();
    }
}
