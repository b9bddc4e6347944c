using EventProcessor.TestSupport;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>
/// Events that arrive while a workflow task is out, driven with raw RPCs playing the worker
/// (the SDK never lets a test hold a task open at a chosen moment).
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class BufferingTests(TemporalServerFixture fixture)
{
    private async Task<(WorkflowExecution Execution, PollWorkflowTaskQueueResponse Task)> StartAndPollAsync()
    {
        var queue = TaskQueues.Unique();
        var workflowId = $"buffering-{Guid.NewGuid()}";
        var started = await fixture.Client.WorkflowService.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowId = workflowId,
            WorkflowType = new WorkflowType { Name = "RawWorkflow" },
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = queue },
            RequestId = Guid.NewGuid().ToString(),
            Identity = "raw-tests",
        });
        var task = await fixture.Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = fixture.Namespace,
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = queue, Kind = TaskQueueKind.Normal },
            Identity = "raw-worker",
        });
        Assert.False(task.TaskToken.IsEmpty);
        Assert.Equal(EventType.WorkflowTaskStarted, task.History.Events[^1].EventType);
        Assert.Equal(task.StartedEventId, task.History.Events[^1].EventId);
        return (new WorkflowExecution { WorkflowId = workflowId, RunId = started.RunId }, task);
    }

    private Task SignalAsync(WorkflowExecution execution) =>
        fixture.Client.WorkflowService.SignalWorkflowExecutionAsync(new SignalWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            WorkflowExecution = execution,
            SignalName = "poke",
            Identity = "raw-tests",
            RequestId = Guid.NewGuid().ToString(),
        });

    private async Task<List<HistoryEvent>> HistoryAsync(WorkflowExecution execution) =>
        (await fixture.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
        {
            Namespace = fixture.Namespace,
            Execution = execution,
        })).History.Events.ToList();

    [Fact]
    public async Task A_signal_during_a_task_is_written_after_its_completion_and_schedules_a_new_task()
    {
        var (execution, task) = await StartAndPollAsync();
        await SignalAsync(execution);
        Assert.DoesNotContain(await HistoryAsync(execution), e => e.EventType == EventType.WorkflowExecutionSignaled);

        await fixture.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = fixture.Namespace,
            TaskToken = task.TaskToken,
            Identity = "raw-worker",
        });

        var types = (await HistoryAsync(execution)).Skip((int)task.StartedEventId).Select(e => e.EventType).ToList();
        Assert.Equal([EventType.WorkflowTaskCompleted, EventType.WorkflowExecutionSignaled, EventType.WorkflowTaskScheduled], types);
        await fixture.Client.GetWorkflowHandle(execution.WorkflowId).TerminateAsync("test done");
    }

    [Fact]
    public async Task Completing_the_workflow_over_an_unseen_signal_fails_the_task_with_unhandled_command()
    {
        var (execution, task) = await StartAndPollAsync();
        await SignalAsync(execution);
        try
        {
            await fixture.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
            {
                Namespace = fixture.Namespace,
                TaskToken = task.TaskToken,
                Identity = "raw-worker",
                Commands =
                {
                    new Command
                    {
                        CommandType = CommandType.CompleteWorkflowExecution,
                        CompleteWorkflowExecutionCommandAttributes = new CompleteWorkflowExecutionCommandAttributes(),
                    },
                },
            });
        }
        catch (RpcException)
        {
            // Servers may also answer the rejected completion with an error; the history is what matters.
        }

        var history = await HistoryAsync(execution);
        var after = history.Skip((int)task.StartedEventId).ToList();
        Assert.Equal(EventType.WorkflowTaskFailed, after[0].EventType);
        Assert.Equal(WorkflowTaskFailedCause.UnhandledCommand, after[0].WorkflowTaskFailedEventAttributes.Cause);
        Assert.Contains(after, e => e.EventType == EventType.WorkflowExecutionSignaled);
        Assert.Equal(EventType.WorkflowTaskScheduled, after[^1].EventType);
        Assert.DoesNotContain(history, e => e.EventType == EventType.WorkflowExecutionCompleted);
        await fixture.Client.GetWorkflowHandle(execution.WorkflowId).TerminateAsync("test done");
    }

    [Fact]
    public async Task A_sticky_poll_gets_only_the_events_after_the_last_completed_task()
    {
        var (execution, task) = await StartAndPollAsync();
        var sticky = TaskQueues.Unique("sticky");

        // A live worker polls its sticky queue: a real server sends tasks there only if it saw a poller
        // within 10 s (matching's stickyWorkerAvailable), else to the normal queue (StickyQueueTests).
        try
        {
            await fixture.Client.WorkflowService.PollWorkflowTaskQueueAsync(
                new PollWorkflowTaskQueueRequest
                {
                    Namespace = fixture.Namespace,
                    TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = sticky, Kind = TaskQueueKind.Sticky, NormalName = task.WorkflowExecutionTaskQueue.Name },
                    Identity = "raw-worker",
                },
                new Temporalio.Client.RpcOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        }
        catch (RpcException ex) when (ex.Code is RpcException.StatusCode.DeadlineExceeded or RpcException.StatusCode.Cancelled)
        {
            // Nothing to take yet: the poll only shows the server that the sticky worker is there.
        }

        await fixture.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = fixture.Namespace,
            TaskToken = task.TaskToken,
            Identity = "raw-worker",
            StickyAttributes = new Temporalio.Api.TaskQueue.V1.StickyExecutionAttributes
            {
                WorkerTaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = sticky, Kind = TaskQueueKind.Sticky, NormalName = task.WorkflowExecutionTaskQueue.Name },
                ScheduleToStartTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            },
        });
        await SignalAsync(execution);

        var next = await fixture.Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = fixture.Namespace,
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = sticky, Kind = TaskQueueKind.Sticky, NormalName = task.WorkflowExecutionTaskQueue.Name },
            Identity = "raw-worker",
        });
        Assert.Equal(task.StartedEventId, next.PreviousStartedEventId);
        Assert.Equal(task.StartedEventId + 1, next.History.Events[0].EventId);
        Assert.Equal(
            [EventType.WorkflowTaskCompleted, EventType.WorkflowExecutionSignaled, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted],
            next.History.Events.Select(e => e.EventType));
        Assert.Equal(next.StartedEventId, next.History.Events[^1].EventId);
        await fixture.Client.GetWorkflowHandle(execution.WorkflowId).TerminateAsync("test done");
    }

    [Fact]
    public async Task A_command_without_its_attributes_fails_the_task_and_leaves_the_workflow_running()
    {
        var (execution, task) = await StartAndPollAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = fixture.Namespace,
            TaskToken = task.TaskToken,
            Identity = "raw-worker",
            Commands = { new Command { CommandType = CommandType.CompleteWorkflowExecution } },
        }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);

        var history = await HistoryAsync(execution);
        var failed = Assert.Single(history, e => e.EventType == EventType.WorkflowTaskFailed);
        Assert.Equal(WorkflowTaskFailedCause.BadCompleteWorkflowExecutionAttributes, failed.WorkflowTaskFailedEventAttributes.Cause);
        Assert.DoesNotContain(history, e => e.EventType == EventType.WorkflowExecutionCompleted);

        // The retry (attempt 2) is transient: not in history, but pending.
        var description = await fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = fixture.Namespace,
            Execution = execution,
        });
        Assert.Equal(WorkflowExecutionStatus.Running, description.WorkflowExecutionInfo.Status);
        Assert.Equal(2, description.PendingWorkflowTask.Attempt);
        await fixture.Client.GetWorkflowHandle(execution.WorkflowId).TerminateAsync("test done");
    }
}
