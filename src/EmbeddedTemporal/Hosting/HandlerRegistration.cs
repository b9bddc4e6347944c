using EventProcessor.EmbeddedTemporal.Frontend;
using EventProcessor.EmbeddedTemporal.State;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Hosting;

/// <summary>Binds the implemented RPCs to their handlers; every other method answers UNIMPLEMENTED.</summary>
internal static class HandlerRegistration
{
    private const string WorkflowService = "temporal.api.workflowservice.v1.WorkflowService";
    private const string OperatorService = "temporal.api.operatorservice.v1.OperatorService";
    private const string TestService = "temporal.api.testservice.v1.TestService";

    public static void RegisterAll(RpcRegistry registry, ServerContext server)
    {
        var cluster = new ClusterHandlers(server);
        Workflow<GetSystemInfoRequest, GetSystemInfoResponse>(registry, "GetSystemInfo", cluster.GetSystemInfo);
        Workflow<DescribeNamespaceRequest, DescribeNamespaceResponse>(registry, "DescribeNamespace", cluster.DescribeNamespace);
        Workflow<ListNamespacesRequest, ListNamespacesResponse>(registry, "ListNamespaces", cluster.ListNamespaces);
        Workflow<ShutdownWorkerRequest, ShutdownWorkerResponse>(registry, "ShutdownWorker", cluster.ShutdownWorker);

        var start = new StartHandlers(server);
        Workflow<StartWorkflowExecutionRequest, StartWorkflowExecutionResponse>(registry, "StartWorkflowExecution", start.StartWorkflowExecution);
        Workflow<SignalWithStartWorkflowExecutionRequest, SignalWithStartWorkflowExecutionResponse>(registry, "SignalWithStartWorkflowExecution", start.SignalWithStartWorkflowExecution);

        var workflowTasks = new WorkflowTaskHandlers(server);
        Workflow<PollWorkflowTaskQueueRequest, PollWorkflowTaskQueueResponse>(registry, "PollWorkflowTaskQueue", workflowTasks.PollWorkflowTaskQueue);
        Workflow<RespondWorkflowTaskCompletedRequest, RespondWorkflowTaskCompletedResponse>(registry, "RespondWorkflowTaskCompleted", workflowTasks.RespondWorkflowTaskCompleted);
        Workflow<RespondWorkflowTaskFailedRequest, RespondWorkflowTaskFailedResponse>(registry, "RespondWorkflowTaskFailed", workflowTasks.RespondWorkflowTaskFailed);
        Workflow<RespondQueryTaskCompletedRequest, RespondQueryTaskCompletedResponse>(registry, "RespondQueryTaskCompleted", workflowTasks.RespondQueryTaskCompleted);

        var activities = new ActivityTaskHandlers(server);
        Workflow<PollActivityTaskQueueRequest, PollActivityTaskQueueResponse>(registry, "PollActivityTaskQueue", activities.PollActivityTaskQueue);
        Workflow<RecordActivityTaskHeartbeatRequest, RecordActivityTaskHeartbeatResponse>(registry, "RecordActivityTaskHeartbeat", activities.RecordActivityTaskHeartbeat);
        Workflow<RespondActivityTaskCompletedRequest, RespondActivityTaskCompletedResponse>(registry, "RespondActivityTaskCompleted", activities.RespondActivityTaskCompleted);
        Workflow<RespondActivityTaskFailedRequest, RespondActivityTaskFailedResponse>(registry, "RespondActivityTaskFailed", activities.RespondActivityTaskFailed);
        Workflow<RespondActivityTaskCanceledRequest, RespondActivityTaskCanceledResponse>(registry, "RespondActivityTaskCanceled", activities.RespondActivityTaskCanceled);

        var executions = new ExecutionHandlers(server);
        Workflow<SignalWorkflowExecutionRequest, SignalWorkflowExecutionResponse>(registry, "SignalWorkflowExecution", executions.SignalWorkflowExecution);
        Workflow<RequestCancelWorkflowExecutionRequest, RequestCancelWorkflowExecutionResponse>(registry, "RequestCancelWorkflowExecution", executions.RequestCancelWorkflowExecution);
        Workflow<TerminateWorkflowExecutionRequest, TerminateWorkflowExecutionResponse>(registry, "TerminateWorkflowExecution", executions.TerminateWorkflowExecution);
        Workflow<QueryWorkflowRequest, QueryWorkflowResponse>(registry, "QueryWorkflow", executions.QueryWorkflow);
        Workflow<ResetWorkflowExecutionRequest, ResetWorkflowExecutionResponse>(registry, "ResetWorkflowExecution", executions.ResetWorkflowExecution);
        Workflow<DescribeWorkflowExecutionRequest, DescribeWorkflowExecutionResponse>(registry, "DescribeWorkflowExecution", executions.DescribeWorkflowExecution);

        var history = new HistoryHandlers(server);
        Workflow<GetWorkflowExecutionHistoryRequest, GetWorkflowExecutionHistoryResponse>(registry, "GetWorkflowExecutionHistory", history.GetWorkflowExecutionHistory);

        var visibility = new VisibilityHandlers(server);
        Workflow<ListWorkflowExecutionsRequest, ListWorkflowExecutionsResponse>(registry, "ListWorkflowExecutions", visibility.ListWorkflowExecutions);
        Workflow<ScanWorkflowExecutionsRequest, ScanWorkflowExecutionsResponse>(registry, "ScanWorkflowExecutions", visibility.ScanWorkflowExecutions);
        Workflow<CountWorkflowExecutionsRequest, CountWorkflowExecutionsResponse>(registry, "CountWorkflowExecutions", visibility.CountWorkflowExecutions);

        var schedules = new ScheduleHandlers(server);
        Workflow<CreateScheduleRequest, CreateScheduleResponse>(registry, "CreateSchedule", schedules.CreateSchedule);
        Workflow<DescribeScheduleRequest, DescribeScheduleResponse>(registry, "DescribeSchedule", schedules.DescribeSchedule);
        Workflow<UpdateScheduleRequest, UpdateScheduleResponse>(registry, "UpdateSchedule", schedules.UpdateSchedule);
        Workflow<PatchScheduleRequest, PatchScheduleResponse>(registry, "PatchSchedule", schedules.PatchSchedule);
        Workflow<DeleteScheduleRequest, DeleteScheduleResponse>(registry, "DeleteSchedule", schedules.DeleteSchedule);
        Workflow<ListSchedulesRequest, ListSchedulesResponse>(registry, "ListSchedules", schedules.ListSchedules);
        Workflow<ListScheduleMatchingTimesRequest, ListScheduleMatchingTimesResponse>(registry, "ListScheduleMatchingTimes", schedules.ListScheduleMatchingTimes);

        var operators = new OperatorHandlers(server);
        registry.Register<AddSearchAttributesRequest, AddSearchAttributesResponse>(OperatorService, "AddSearchAttributes", operators.AddSearchAttributes);
        registry.Register<RemoveSearchAttributesRequest, RemoveSearchAttributesResponse>(OperatorService, "RemoveSearchAttributes", operators.RemoveSearchAttributes);
        registry.Register<ListSearchAttributesRequest, ListSearchAttributesResponse>(OperatorService, "ListSearchAttributes", operators.ListSearchAttributes);

        // Only a time-skipping server has a TestService; otherwise it answers UNIMPLEMENTED like a real server.
        if (server.Skipping is { } skipping)
        {
            var test = new TestServiceHandlers(skipping);
            registry.Register<Google.Protobuf.WellKnownTypes.Empty, Temporalio.Api.TestService.V1.GetCurrentTimeResponse>(TestService, "GetCurrentTime", test.GetCurrentTime);
            registry.Register<Temporalio.Api.TestService.V1.LockTimeSkippingRequest, Temporalio.Api.TestService.V1.LockTimeSkippingResponse>(TestService, "LockTimeSkipping", test.LockTimeSkipping);
            registry.Register<Temporalio.Api.TestService.V1.UnlockTimeSkippingRequest, Temporalio.Api.TestService.V1.UnlockTimeSkippingResponse>(TestService, "UnlockTimeSkipping", test.UnlockTimeSkipping);
            registry.Register<Temporalio.Api.TestService.V1.SleepRequest, Temporalio.Api.TestService.V1.SleepResponse>(TestService, "Sleep", test.Sleep);
            registry.Register<Temporalio.Api.TestService.V1.SleepUntilRequest, Temporalio.Api.TestService.V1.SleepResponse>(TestService, "SleepUntil", test.SleepUntil);
            registry.Register<Temporalio.Api.TestService.V1.SleepRequest, Temporalio.Api.TestService.V1.SleepResponse>(TestService, "UnlockTimeSkippingWithSleep", test.UnlockTimeSkippingWithSleep);
        }
    }

    private static void Workflow<TRequest, TResponse>(RpcRegistry registry, string method, Func<TRequest, Grpc.Core.ServerCallContext, Task<TResponse>> handler)
        where TRequest : Google.Protobuf.IMessage
        where TResponse : Google.Protobuf.IMessage =>
        registry.Register(WorkflowService, method, handler);
}
