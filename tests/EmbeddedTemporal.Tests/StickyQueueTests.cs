using EventProcessor.TestSupport;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Where a workflow task goes when the worker that asked for stickiness is gone. A real server sends
/// it to the sticky queue only if a poller was seen there within 10 s (matching_engine.go,
/// <c>stickyWorkerAvailable</c>, <c>stickyPollerUnavailableWindow</c>); otherwise matching answers
/// StickyWorkerUnavailable and history puts the task on the normal queue at once
/// (transfer_queue_active_task_executor.go, <c>processWorkflowTask</c>), instead of after the sticky
/// schedule-to-start timeout. Played with raw RPCs: a worker that completes a task asking for a
/// sticky queue it never polls (as one killed right after answering).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class StickyQueueTests(TemporalServerFixture fixture)
{
    [Fact]
    public async Task A_task_for_a_sticky_queue_nobody_polls_goes_to_the_normal_queue_at_once()
    {
        var queue = TaskQueues.Unique();
        var workflowId = $"sticky-gone-{Guid.NewGuid()}";
        var service = fixture.Client.WorkflowService;
        var started = await service.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowId = workflowId,
            WorkflowType = new WorkflowType { Name = "RawWorkflow" },
            TaskQueue = new TaskQueue { Name = queue },
            RequestId = Guid.NewGuid().ToString(),
            Identity = "raw-tests",
        });
        var first = await PollNormalAsync(queue);
        Assert.False(first.TaskToken.IsEmpty);

        // Completed asking for a sticky queue with an hour's schedule-to-start timeout, then never polling it.
        await service.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = fixture.Namespace,
            TaskToken = first.TaskToken,
            Identity = "dead-worker",
            StickyAttributes = new StickyExecutionAttributes
            {
                WorkerTaskQueue = new TaskQueue { Name = $"{queue}-sticky", Kind = TaskQueueKind.Sticky, NormalName = queue },
                ScheduleToStartTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)),
            },
        });
        var execution = new WorkflowExecution { WorkflowId = workflowId, RunId = started.RunId };
        await service.SignalWorkflowExecutionAsync(new SignalWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowExecution = execution,
            SignalName = "poke",
            Identity = "raw-tests",
            RequestId = Guid.NewGuid().ToString(),
        });

        // One long poll of the normal queue gets it (an empty answer would mean it waits on the sticky queue).
        var next = await PollNormalAsync(queue);
        Assert.False(next.TaskToken.IsEmpty, "the task waited on the sticky queue of a worker that never polled it");
        Assert.Equal(execution.WorkflowId, next.WorkflowExecution.WorkflowId);
        Assert.Contains(next.History.Events, e => e.EventType == EventType.WorkflowExecutionSignaled);
        Assert.DoesNotContain(next.History.Events, e => e.EventType == EventType.WorkflowTaskTimedOut);

        await service.TerminateWorkflowExecutionAsync(new TerminateWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowExecution = execution,
            Reason = "test done",
            Identity = "raw-tests",
        });
    }

    private Task<PollWorkflowTaskQueueResponse> PollNormalAsync(string queue) =>
        fixture.Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = fixture.Namespace,
            TaskQueue = new TaskQueue { Name = queue, Kind = TaskQueueKind.Normal },
            Identity = "raw-worker",
        });
}
