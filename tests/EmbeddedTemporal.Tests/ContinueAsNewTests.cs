using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class ContinueAsNewTests(TemporalServerFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_chain_of_runs_keeps_its_run_ids_and_describe_shows_the_latest(bool cache)
    {
        var queue = TaskQueues.Unique();
        await WorkerHarness.RunAsync(fixture, queue, cache, async () =>
        {
            var id = $"continue-as-new-{Guid.NewGuid()}";
            var first = await fixture.Client.StartWorkflowAsync((CountdownWorkflow wf) => wf.RunAsync(3, 0), new WorkflowOptions(id, queue));
            Assert.Equal("done after 4 runs", await first.GetResultAsync<string>().WaitAsync(s_wait));

            // Walk the chain from the first run through each close event's new run id.
            var runIds = new List<string> { first.ResultRunId! };
            while (true)
            {
                var events = await HistoryAssert.WellFormedAsync(fixture.Client.GetWorkflowHandle(id, runIds[^1]));
                var started = events[0].WorkflowExecutionStartedEventAttributes;
                Assert.Equal(runIds[0], started.FirstExecutionRunId);
                Assert.Equal(runIds.Count == 1 ? string.Empty : runIds[^2], started.ContinuedExecutionRunId);
                if (events[^1].EventType != EventType.WorkflowExecutionContinuedAsNew)
                {
                    Assert.Equal(EventType.WorkflowExecutionCompleted, events[^1].EventType);
                    break;
                }

                var continued = events[^1].WorkflowExecutionContinuedAsNewEventAttributes;
                Assert.Equal("CountdownWorkflow", continued.WorkflowType.Name);
                Assert.Equal(queue, continued.TaskQueue.Name);
                runIds.Add(continued.NewExecutionRunId);
                Assert.True(runIds.Count <= 4, "the chain is longer than the workflow made it");
            }

            Assert.Equal(4, runIds.Distinct().Count());
            var latest = await fixture.Client.GetWorkflowHandle(id).DescribeAsync();
            Assert.Equal(runIds[^1], latest.RunId);
            Assert.Equal(WorkflowExecutionStatus.Completed, latest.Status);
            var raw = await fixture.DescribeRawAsync(fixture.Client.GetWorkflowHandle(id));
            Assert.Equal(runIds[0], raw.WorkflowExecutionInfo.FirstRunId);
            Assert.Equal(WorkflowExecutionStatus.ContinuedAsNew, (await fixture.Client.GetWorkflowHandle(id, runIds[0]).DescribeAsync()).Status);

            var expectedGroups = new Dictionary<string, long> { ["ContinuedAsNew"] = 3, ["Completed"] = 1 };
            var grouped = await Eventually.ValueAsync(
                () => fixture.Client.CountWorkflowsAsync($"WorkflowId = '{id}' GROUP BY ExecutionStatus"),
                c => VisibilityTests.ByStatus(c).Count == 2 && expectedGroups.All(g => VisibilityTests.ByStatus(c).GetValueOrDefault(g.Key) == g.Value),
                s_wait,
                "all four runs counted by status");
            Assert.Equal(4, grouped.Count);
            Assert.Equal(expectedGroups, VisibilityTests.ByStatus(grouped));
        });
    }
}
