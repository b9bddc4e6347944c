using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class ExternalWorkflowTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_workflow_signals_another_workflow(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var target = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new WorkflowOptions($"signal-target-{Guid.NewGuid()}", queue));
            var caller = await fixture.Client.StartWorkflowAsync(
                (ExternalCallerWorkflow wf) => wf.RunAsync("signal", target.Id, "done"),
                new WorkflowOptions($"signal-caller-{Guid.NewGuid()}", queue));
            Assert.Equal("signaled", await caller.GetResultAsync<string>().WaitAsync(s_wait));
            Assert.Equal("done", await target.GetResultAsync<string>().WaitAsync(s_wait));

            var callerEvents = await HistoryAssert.WellFormedAsync(caller);
            var initiated = Assert.Single(callerEvents, e => e.EventType == EventType.SignalExternalWorkflowExecutionInitiated);
            Assert.Equal("Add", initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes.SignalName);
            var signaled = Assert.Single(callerEvents, e => e.EventType == EventType.ExternalWorkflowExecutionSignaled);
            Assert.Equal(initiated.EventId, signaled.ExternalWorkflowExecutionSignaledEventAttributes.InitiatedEventId);
            var received = Assert.Single(await HistoryAssert.WellFormedAsync(target), e => e.EventType == EventType.WorkflowExecutionSignaled);
            Assert.Equal(caller.Id, received.WorkflowExecutionSignaledEventAttributes.ExternalWorkflowExecution.WorkflowId);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_workflow_cancels_another_workflow(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var target = await fixture.Client.StartWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), new WorkflowOptions($"cancel-target-{Guid.NewGuid()}", queue));
            var caller = await fixture.Client.StartWorkflowAsync(
                (ExternalCallerWorkflow wf) => wf.RunAsync("cancel", target.Id, string.Empty),
                new WorkflowOptions($"cancel-caller-{Guid.NewGuid()}", queue));
            Assert.Equal("cancel requested", await caller.GetResultAsync<string>().WaitAsync(s_wait));
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => target.GetResultAsync().WaitAsync(s_wait));
            Assert.IsType<CanceledFailureException>(ex.InnerException);

            var callerEvents = await HistoryAssert.WellFormedAsync(caller);
            var initiated = Assert.Single(callerEvents, e => e.EventType == EventType.RequestCancelExternalWorkflowExecutionInitiated);
            var requested = Assert.Single(callerEvents, e => e.EventType == EventType.ExternalWorkflowExecutionCancelRequested);
            Assert.Equal(initiated.EventId, requested.ExternalWorkflowExecutionCancelRequestedEventAttributes.InitiatedEventId);
            var cancel = Assert.Single(await HistoryAssert.WellFormedAsync(target), e => e.EventType == EventType.WorkflowExecutionCancelRequested);
            Assert.Equal(initiated.EventId, cancel.WorkflowExecutionCancelRequestedEventAttributes.ExternalInitiatedEventId);
            Assert.Equal(caller.Id, cancel.WorkflowExecutionCancelRequestedEventAttributes.ExternalWorkflowExecution.WorkflowId);
        });
    }

    [Theory]
    [InlineData(true, "signal", EventType.SignalExternalWorkflowExecutionFailed)]
    [InlineData(false, "signal", EventType.SignalExternalWorkflowExecutionFailed)]
    [InlineData(true, "cancel", EventType.RequestCancelExternalWorkflowExecutionFailed)]
    [InlineData(false, "cancel", EventType.RequestCancelExternalWorkflowExecutionFailed)]
    public async Task Signalling_or_cancelling_an_unknown_workflow_fails_in_the_caller(bool cache, string action, EventType failedEvent)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var caller = await fixture.Client.StartWorkflowAsync(
                (ExternalCallerWorkflow wf) => wf.RunAsync(action, $"no-such-workflow-{Guid.NewGuid()}", "x"),
                new WorkflowOptions($"external-missing-{Guid.NewGuid()}", queue));
            Assert.StartsWith("failed: ", await caller.GetResultAsync<string>().WaitAsync(s_wait), StringComparison.Ordinal);
            Assert.Single(await HistoryAssert.WellFormedAsync(caller), e => e.EventType == failedEvent);
        });
    }
}
