// The deprecated TerminateIfRunning reuse policy is still part of the protocol a server must honour.
#pragma warning disable CS0612
using EventProcessor.EmbeddedTemporal.State;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>StartWorkflowExecution and SignalWithStartWorkflowExecution, with id conflict and reuse policies.</summary>
internal sealed class StartHandlers(ServerContext server)
{
    public Task<StartWorkflowExecutionResponse> StartWorkflowExecution(StartWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (!string.IsNullOrEmpty(request.CronSchedule))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Cron workflows are not supported by the embedded Temporal server."));
        }

        if (request.WorkflowStartDelay is { } delay && delay.ToTimeSpan() > TimeSpan.Zero)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Start delay is not supported by the embedded Temporal server."));
        }

        var conflictPolicy = request.WorkflowIdConflictPolicy;
        ValidatePolicies(conflictPolicy, request.WorkflowIdReusePolicy);

        if (conflictPolicy == WorkflowIdConflictPolicy.Unspecified)
        {
            conflictPolicy = request.WorkflowIdReusePolicy == WorkflowIdReusePolicy.TerminateIfRunning
                ? WorkflowIdConflictPolicy.TerminateExisting
                : WorkflowIdConflictPolicy.Fail;
        }

        lock (ns.Sync)
        {
            var start = Parameters(ns, request.WorkflowId, request.WorkflowType, request.TaskQueue, request.RequestId, request.Identity,
                request.WorkflowExecutionTimeout, request.WorkflowRunTimeout, request.WorkflowTaskTimeout, request.RetryPolicy, request.SearchAttributes) with
            {
                Input = request.Input,
                Header = request.Header,
                Memo = request.Memo,
                UserMetadata = request.UserMetadata,
            };
            var current = ns.CurrentRun(start.WorkflowId);
            if (current is not null && current.Start.RequestId == start.RequestId)
            {
                // The same request again (a client retry): answer with the run it started.
                return Task.FromResult(new StartWorkflowExecutionResponse { RunId = current.RunId, Started = true });
            }

            if (current is { IsRunning: true })
            {
                switch (conflictPolicy)
                {
                    case WorkflowIdConflictPolicy.UseExisting:
                        return Task.FromResult(new StartWorkflowExecutionResponse { RunId = current.RunId, Started = false });
                    case WorkflowIdConflictPolicy.TerminateExisting:
                        current.Terminate("terminated by a new start of the same workflow id", null, start.Identity);
                        break;
                    default:
                        throw RpcErrors.AlreadyStarted(current.WorkflowId, current.RunId, current.Start.RequestId);
                }
            }
            else if (current is not null)
            {
                CheckReusePolicy(current, request.WorkflowIdReusePolicy);
            }

            var run = WorkflowExecution.Create(ns, start);
            return Task.FromResult(new StartWorkflowExecutionResponse { RunId = run.RunId, Started = true });
        }
    }

    public Task<SignalWithStartWorkflowExecutionResponse> SignalWithStartWorkflowExecution(SignalWithStartWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (string.IsNullOrEmpty(request.SignalName))
        {
            throw RpcErrors.InvalidArgument("SignalName is not set on request.");
        }

        if (request.WorkflowIdConflictPolicy == WorkflowIdConflictPolicy.Fail)
        {
            throw RpcErrors.InvalidArgument("SignalWithStartWorkflowExecution does not support WorkflowIdConflictPolicy FAIL.");
        }

        ValidatePolicies(request.WorkflowIdConflictPolicy, request.WorkflowIdReusePolicy);

        if (!string.IsNullOrEmpty(request.CronSchedule))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Cron workflows are not supported by the embedded Temporal server."));
        }

        if (request.WorkflowStartDelay is { } delay && delay.ToTimeSpan() > TimeSpan.Zero)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Start delay is not supported by the embedded Temporal server."));
        }

        lock (ns.Sync)
        {
            var signal = new SignalParameters(request.SignalName, request.SignalInput, request.Header, request.Identity, request.RequestId);
            var start = Parameters(ns, request.WorkflowId, request.WorkflowType, request.TaskQueue, request.RequestId, request.Identity,
                request.WorkflowExecutionTimeout, request.WorkflowRunTimeout, request.WorkflowTaskTimeout, request.RetryPolicy, request.SearchAttributes) with
            {
                Input = request.Input,
                Header = request.Header,
                Memo = request.Memo,
                UserMetadata = request.UserMetadata,
                Signal = signal,
            };
            var current = ns.CurrentRun(start.WorkflowId);
            if (current is { IsRunning: true })
            {
                if (request.WorkflowIdConflictPolicy != WorkflowIdConflictPolicy.TerminateExisting
                    && request.WorkflowIdReusePolicy != WorkflowIdReusePolicy.TerminateIfRunning)
                {
                    current.Signal(signal);
                    return Task.FromResult(new SignalWithStartWorkflowExecutionResponse { RunId = current.RunId, Started = false });
                }

                current.Terminate("terminated by a new signal-with-start of the same workflow id", null, start.Identity);
            }
            else if (current is not null)
            {
                CheckReusePolicy(current, request.WorkflowIdReusePolicy);
            }

            var run = WorkflowExecution.Create(ns, start);
            return Task.FromResult(new SignalWithStartWorkflowExecutionResponse { RunId = run.RunId, Started = true });
        }
    }

    /// <summary>
    /// Combinations of id policies the frontend refuses (errIncompatibleIDReusePolicy* in the
    /// server's frontend request validation): TERMINATE_IF_RUNNING with any conflict policy, and
    /// REJECT_DUPLICATE with TERMINATE_EXISTING.
    /// </summary>
    private static void ValidatePolicies(WorkflowIdConflictPolicy conflictPolicy, WorkflowIdReusePolicy reusePolicy)
    {
        if (conflictPolicy != WorkflowIdConflictPolicy.Unspecified && reusePolicy == WorkflowIdReusePolicy.TerminateIfRunning)
        {
            throw RpcErrors.InvalidArgument("Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING cannot be used together with a WorkflowIDConflictPolicy");
        }

        if (conflictPolicy == WorkflowIdConflictPolicy.TerminateExisting && reusePolicy == WorkflowIdReusePolicy.RejectDuplicate)
        {
            throw RpcErrors.InvalidArgument("Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE cannot be used together with WorkflowIdConflictPolicy WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING");
        }
    }

    /// <summary>A closed previous run: may the id be used again?</summary>
    private static void CheckReusePolicy(WorkflowExecution previous, WorkflowIdReusePolicy policy)
    {
        var allowed = policy switch
        {
            WorkflowIdReusePolicy.RejectDuplicate => false,
            WorkflowIdReusePolicy.AllowDuplicateFailedOnly => previous.Status is not WorkflowExecutionStatus.Completed,
            _ => true,
        };
        if (!allowed)
        {
            throw RpcErrors.WithDetail(
                StatusCode.AlreadyExists,
                $"Workflow execution already finished and its id cannot be reused. WorkflowId: {previous.WorkflowId}, RunId: {previous.RunId}.",
                new Temporalio.Api.ErrorDetails.V1.WorkflowExecutionAlreadyStartedFailure { RunId = previous.RunId, StartRequestId = previous.Start.RequestId });
        }
    }

    internal static StartParameters Parameters(
        TemporalNamespace ns,
        string workflowId,
        Temporalio.Api.Common.V1.WorkflowType? workflowType,
        Temporalio.Api.TaskQueue.V1.TaskQueue? taskQueue,
        string requestId,
        string identity,
        Google.Protobuf.WellKnownTypes.Duration? executionTimeout,
        Google.Protobuf.WellKnownTypes.Duration? runTimeout,
        Google.Protobuf.WellKnownTypes.Duration? taskTimeout,
        Temporalio.Api.Common.V1.RetryPolicy? retryPolicy,
        Temporalio.Api.Common.V1.SearchAttributes? searchAttributes)
    {
        Requests.WorkflowId(workflowId);
        if (string.IsNullOrEmpty(workflowType?.Name))
        {
            throw RpcErrors.InvalidArgument("WorkflowType is not set on request.");
        }

        var queue = Requests.TaskQueue(taskQueue);
        if (requestId.Length > Requests.MaxIdLength)
        {
            throw RpcErrors.InvalidArgument("RequestId length exceeds limit.");
        }

        if (RetryPolicies.Validate(retryPolicy) is { } retryError)
        {
            throw RpcErrors.InvalidArgument(retryError);
        }

        var execution = Requests.Timeout(executionTimeout, "WorkflowExecutionTimeout");
        var run = Requests.Timeout(runTimeout, "WorkflowRunTimeout");
        var task = Requests.Timeout(taskTimeout, "WorkflowTaskTimeout") ?? TimeSpan.FromSeconds(10);
        if (execution is { } e && run is { } r && r > e)
        {
            run = e;
        }

        var maxTask = TimeSpan.FromSeconds(120);
        if (task > maxTask)
        {
            task = maxTask;
        }

        if ((run ?? execution) is { } limit && task > limit)
        {
            task = limit;
        }

        return new StartParameters
        {
            WorkflowId = workflowId,
            WorkflowType = workflowType,
            TaskQueue = queue,
            RequestId = string.IsNullOrEmpty(requestId) ? Guid.NewGuid().ToString() : requestId,
            Identity = identity,
            ExecutionTimeout = execution,
            RunTimeout = run,
            TaskTimeout = task,
            RetryPolicy = retryPolicy,
            SearchAttributes = ns.SearchAttributes.Validate(searchAttributes),
        };
    }
}
