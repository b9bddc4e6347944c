using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class TimerSignalQueryTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_timer_fires_after_its_delay(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromMilliseconds(300), false),
                new WorkflowOptions($"timer-{Guid.NewGuid()}", queue));
            Assert.Equal("fired", await handle.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(handle);
            var started = Assert.Single(events, e => e.EventType == EventType.TimerStarted);
            var fired = Assert.Single(events, e => e.EventType == EventType.TimerFired);
            Assert.Equal(started.EventId, fired.TimerFiredEventAttributes.StartedEventId);
            Assert.True(fired.EventTime.ToDateTimeOffset() - started.EventTime.ToDateTimeOffset() >= TimeSpan.FromMilliseconds(290));
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_timer_can_be_cancelled(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(1), true),
                new WorkflowOptions($"timer-cancel-{Guid.NewGuid()}", queue));
            await Eventually.Async(
                async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.TimerStarted),
                s_wait,
                "the timer to start");
            await handle.SignalAsync(wf => wf.CancelTimerAsync());
            Assert.Equal("timer canceled", await handle.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(1, HistoryAssert.Count(events, EventType.TimerCanceled));
            Assert.Equal(0, HistoryAssert.Count(events, EventType.TimerFired));
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signals_are_delivered_in_order_and_queries_see_them(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (SignalQueryWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"signal-{Guid.NewGuid()}", queue));
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            var items = await Eventually.ValueAsync(
                () => handle.QueryAsync(wf => wf.Items),
                i => i.Count == 2,
                s_wait,
                "both signals to be seen by a query");
            Assert.Equal(["a", "b"], items);
            await handle.SignalAsync(wf => wf.AddAsync("done"));
            Assert.Equal("a,b,done", await handle.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(handle);
            Assert.Equal(3, HistoryAssert.Count(events, EventType.WorkflowExecutionSignaled));

            // A closed workflow still answers queries (replayed from its history).
            Assert.Equal(["a", "b", "done"], await handle.QueryAsync(wf => wf.Items));
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failing_query_surfaces_as_a_query_failure(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (SignalQueryWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"query-fail-{Guid.NewGuid()}", queue));
            var ex = await Assert.ThrowsAsync<WorkflowQueryFailedException>(() => handle.QueryAsync(wf => wf.Fail()));
            Assert.Contains("query refused", ex.Message, StringComparison.Ordinal);
            await handle.TerminateAsync("test done");
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signal_with_start_starts_once_then_signals_the_running_workflow(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"signal-with-start-{Guid.NewGuid()}";
            var first = new WorkflowOptions(id, queue);
            first.SignalWithStart((SignalQueryWorkflow wf) => wf.AddAsync("first"));
            var handle1 = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), first);

            var second = new WorkflowOptions(id, queue);
            second.SignalWithStart((SignalQueryWorkflow wf) => wf.AddAsync("done"));
            var handle2 = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), second);

            Assert.Equal(handle1.ResultRunId, handle2.ResultRunId);
            Assert.Equal("first,done", await handle1.GetResultAsync<string>().WaitAsync(s_wait));
            var events = await HistoryAssert.WellFormedAsync(handle1);
            Assert.Equal(EventType.WorkflowExecutionSignaled, events[1].EventType);
        });
    }

    [Fact]
    public async Task A_task_waiting_on_a_stopped_workers_sticky_queue_reaches_a_new_worker()
    {
        var queue = TaskQueues.Unique();
        WorkflowHandle<SignalQueryWorkflow>? handle = null;
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            handle = await fixture.Client.StartWorkflowAsync(
                (SignalQueryWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions($"sticky-handover-{Guid.NewGuid()}", queue));
            await Eventually.Async(
                async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.WorkflowTaskCompleted),
                s_wait,
                "the first workflow task to complete on the first worker");
        });

        await handle!.SignalAsync(wf => wf.AddAsync("done"));
        await WorkerHarness.RunAsync(fixture, queue, cache: true, async () =>
        {
            // Well under the sticky schedule-to-start timeout: the handover must not wait for it.
            Assert.Equal("done", await handle.GetResultAsync<string>().WaitAsync(TimeSpan.FromSeconds(5)));
        });
    }
}
