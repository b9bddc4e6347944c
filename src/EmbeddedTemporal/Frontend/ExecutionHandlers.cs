using EventProcessor.EmbeddedTemporal.State;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;
using TaskQueueProto = Temporalio.Api.TaskQueue.V1.TaskQueue;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>Requests on a running or closed execution: signal, cancel, terminate, describe, query.</summary>
internal sealed class ExecutionHandlers(ServerContext server)
{
    public Task<SignalWorkflowExecutionResponse> SignalWorkflowExecution(SignalWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (string.IsNullOrEmpty(request.SignalName))
        {
            throw RpcErrors.InvalidArgument("SignalName is not set on request.");
        }

        lock (ns.Sync)
        {
            Requests.Run(ns, request.WorkflowExecution)
                .Signal(new SignalParameters(request.SignalName, request.Input, request.Header, request.Identity, request.RequestId));
        }

        return Task.FromResult(new SignalWorkflowExecutionResponse());
    }

    public Task<RequestCancelWorkflowExecutionResponse> RequestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        lock (ns.Sync)
        {
            var run = RunOfChain(ns, request.WorkflowExecution, request.FirstExecutionRunId);
            run.RequestCancel(request.Reason, request.Identity);
        }

        return Task.FromResult(new RequestCancelWorkflowExecutionResponse());
    }

    public Task<TerminateWorkflowExecutionResponse> TerminateWorkflowExecution(TerminateWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        lock (ns.Sync)
        {
            var run = RunOfChain(ns, request.WorkflowExecution, request.FirstExecutionRunId);
            run.Terminate(request.Reason, request.Details, request.Identity);
        }

        return Task.FromResult(new TerminateWorkflowExecutionResponse());
    }

    /// <summary>
    /// The run a terminate or cancel acts on. With a first execution run id the run id is ignored:
    /// the current run of the workflow id is taken, and it must belong to the chain that started
    /// with that run (service/history/api/terminateworkflow/api.go and requestcancelworkflow/api.go).
    /// </summary>
    private static WorkflowExecution RunOfChain(TemporalNamespace ns, Temporalio.Api.Common.V1.WorkflowExecution? execution, string firstExecutionRunId)
    {
        if (string.IsNullOrEmpty(firstExecutionRunId))
        {
            return Requests.Run(ns, execution);
        }

        var run = Requests.Run(ns, new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = execution?.WorkflowId ?? string.Empty });
        // A closed current run answers as a closed run does (checked by the caller's operation first, as the server does).
        if (run.IsRunning && run.FirstExecutionRunId != firstExecutionRunId)
        {
            throw RpcErrors.WorkflowNotFound();
        }

        return run;
    }

    public async Task<QueryWorkflowResponse> QueryWorkflow(QueryWorkflowRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (string.IsNullOrEmpty(request.Query?.QueryType))
        {
            throw RpcErrors.InvalidArgument("QueryType is not set on request.");
        }

        var query = new QueryTask(request);
        lock (ns.Sync)
        {
            var run = Requests.Run(ns, request.Execution);
            var rejected = request.QueryRejectCondition switch
            {
                QueryRejectCondition.NotOpen => !run.IsRunning,
                QueryRejectCondition.NotCompletedCleanly => !run.IsRunning && run.Status != WorkflowExecutionStatus.Completed,
                _ => false,
            };
            if (rejected)
            {
                return new QueryWorkflowResponse { QueryRejected = new QueryRejected { Status = run.Status } };
            }

            server.PendingQueries[query.Id] = query;
            run.Query(query);
        }

        try
        {
            return await query.Result.Task.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "query deadline exceeded"));
        }
        finally
        {
            server.PendingQueries.TryRemove(query.Id, out _);
            query.Result.TrySetCanceled(CancellationToken.None);
        }
    }

    public Task<ResetWorkflowExecutionResponse> ResetWorkflowExecution(ResetWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (string.IsNullOrEmpty(request.RequestId))
        {
            throw RpcErrors.InvalidArgument("RequestId is not set on request.");
        }

        if (request.RequestId.Length > Requests.MaxIdLength)
        {
            throw RpcErrors.InvalidArgument("RequestId length exceeds limit.");
        }

        lock (ns.Sync)
        {
            return Task.FromResult(new ResetWorkflowExecutionResponse { RunId = WorkflowResetter.Reset(ns, request) });
        }
    }

    public Task<DescribeWorkflowExecutionResponse> DescribeWorkflowExecution(DescribeWorkflowExecutionRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        lock (ns.Sync)
        {
            return Task.FromResult(Describe(Requests.Run(ns, request.Execution)));
        }
    }

    private static DescribeWorkflowExecutionResponse Describe(WorkflowExecution run)
    {
        var start = run.Start;
        var info = new WorkflowExecutionInfo
        {
            Execution = run.Execution,
            Type = start.WorkflowType,
            StartTime = Timestamp.FromDateTimeOffset(run.StartTime),
            ExecutionTime = Timestamp.FromDateTimeOffset(run.ExecutionTime),
            Status = run.Status,
            HistoryLength = run.History.LastEventId,
            Memo = run.Memo.Clone(),
            SearchAttributes = WorkflowExecution.ToProto(run.SearchAttributes),
            TaskQueue = start.TaskQueue,
            StateTransitionCount = run.History.LastEventId,
            FirstRunId = run.FirstExecutionRunId,
            RootExecution = run.Start.Parent?.RootExecution ?? run.Execution,
        };
        if (run.Start.Parent is { } parent)
        {
            info.ParentExecution = parent.Execution;
            info.ParentNamespaceId = parent.NamespaceId;
        }
        if (run.CloseTime is { } closed)
        {
            info.CloseTime = Timestamp.FromDateTimeOffset(closed);
            info.ExecutionDuration = Duration.FromTimeSpan(closed - run.StartTime);
        }

        var response = new DescribeWorkflowExecutionResponse
        {
            ExecutionConfig = new WorkflowExecutionConfig
            {
                TaskQueue = new TaskQueueProto { Name = start.TaskQueue, Kind = TaskQueueKind.Normal },
                WorkflowExecutionTimeout = start.ExecutionTimeout is { } e ? Duration.FromTimeSpan(e) : null,
                WorkflowRunTimeout = (start.RunTimeout ?? start.ExecutionTimeout) is { } r ? Duration.FromTimeSpan(r) : null,
                DefaultWorkflowTaskTimeout = Duration.FromTimeSpan(start.TaskTimeout),
                UserMetadata = start.UserMetadata,
            },
            WorkflowExecutionInfo = info,
            WorkflowExtendedInfo = new WorkflowExecutionExtendedInfo
            {
                ResetRunId = run.ResetRunId ?? string.Empty,
                OriginalStartTime = Timestamp.FromDateTimeOffset(run.ResetOrigin?.OriginalStartTime ?? run.StartTime),
                LastResetTime = run.ResetOrigin is { } origin ? Timestamp.FromDateTimeOffset(origin.ResetTime) : null,
                CancelRequested = run.CancelRequested,
            },
        };

        foreach (var activity in run.Activities.Pending.OrderBy(a => a.ScheduledEventId))
        {
            response.PendingActivities.Add(DescribeActivity(activity));
        }

        if (run.IsRunning && run.Task.State != WorkflowTaskState.None)
        {
            response.PendingWorkflowTask = new PendingWorkflowTaskInfo
            {
                State = run.Task.State == WorkflowTaskState.Started ? PendingWorkflowTaskState.Started : PendingWorkflowTaskState.Scheduled,
                ScheduledTime = Timestamp.FromDateTimeOffset(run.Task.ScheduledTime),
                OriginalScheduledTime = Timestamp.FromDateTimeOffset(run.Task.ScheduledTime),
                StartedTime = run.Task.StartedTime is { } s ? Timestamp.FromDateTimeOffset(s) : null,
                Attempt = run.Task.Attempt,
            };
        }

        return response;
    }

    private static PendingActivityInfo DescribeActivity(ActivityInfo activity)
    {
        var pending = new PendingActivityInfo
        {
            ActivityId = activity.ActivityId,
            ActivityType = activity.Attributes.ActivityType,
            State = activity.CancelRequested ? PendingActivityState.CancelRequested
                : activity.State == ActivityState.Started ? PendingActivityState.Started
                : PendingActivityState.Scheduled,
            HeartbeatDetails = activity.HeartbeatDetails,
            Attempt = activity.Attempt,
            MaximumAttempts = activity.RetryPolicy.MaximumAttempts,
            ScheduledTime = Timestamp.FromDateTimeOffset(activity.CurrentAttemptScheduledTime),
            LastFailure = activity.LastFailure,
            LastWorkerIdentity = activity.StartedIdentity,
        };
        if (activity.LastHeartbeatTime is { } heartbeat)
        {
            pending.LastHeartbeatTime = Timestamp.FromDateTimeOffset(heartbeat);
        }

        if (activity.StartedTime is { } started)
        {
            pending.LastStartedTime = Timestamp.FromDateTimeOffset(started);
        }

        if (activity.Deadline is { } deadline)
        {
            pending.ExpirationTime = Timestamp.FromDateTimeOffset(deadline);
        }

        if (activity.CurrentRetryInterval is { } interval)
        {
            pending.CurrentRetryInterval = Duration.FromTimeSpan(interval);
        }

        if (activity.LastAttemptCompleteTime is { } completed)
        {
            pending.LastAttemptCompleteTime = Timestamp.FromDateTimeOffset(completed);
        }

        if (activity.State == ActivityState.Backoff)
        {
            pending.NextAttemptScheduleTime = Timestamp.FromDateTimeOffset(activity.CurrentAttemptScheduledTime);
        }

        return pending;
    }
}
