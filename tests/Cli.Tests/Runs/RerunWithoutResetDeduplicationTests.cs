using EventProcessor.Cli.Runs;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.Cli.Tests.Runs;

/// <summary>
/// A real Temporal server de-duplicates a reset by request id only against the current run's create
/// request id, and a reset run's create request id is the base run's original start request id
/// (the embedded server does the same; see its ResetConformanceTests): a reset sent again after it
/// was applied is applied again. So `runs rerun` must not count on the request id when a reset was
/// applied but never recorded (the CLI killed mid-call, or the answer lost): its state file and its
/// current-run check have to keep every run from being re-run twice on their own.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class RerunWithoutResetDeduplicationTests(TemporalServerFixture temporal) : IDisposable
{
    private readonly string stateFile = Path.Combine(Path.GetTempPath(), $"cli-rerun-dedupe-{Guid.NewGuid():N}.jsonl");

    [Fact]
    public async Task A_reset_applied_but_never_recorded_is_not_applied_again_by_a_resumed_bulk_rerun()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 3);
        string[] command = ["runs", "rerun", "--report", reportId, "--status", "Failed", "--reason", "platform outage 14:00"];
        // The reset a killed CLI sent for the first run: applied by the server, absent from the state file.
        var lost = events[0].WorkflowId;
        var lostBase = await temporal.Client.GetWorkflowHandle(lost).DescribeAsync();
        var lostReset = await ResetOutsideTheCliAsync(lost, lostBase.RunId);

        var resumed = await Cli(command);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Re-run: 2, skipped: 1, failed: 0.", resumed.Out, StringComparison.Ordinal);
        Assert.Contains($"{lost}: skipped (superseded: the workflow's current run is {lostReset}", resumed.Out, StringComparison.Ordinal);
        await FailedRuns.AllCompletedAsync(temporal, events);
        Assert.Equal(lostReset, (await temporal.Client.GetWorkflowHandle(lost).DescribeAsync()).RunId);
        foreach (var e in events)
        {
            await FailedRuns.VisibleAsync(temporal.Client, $"WorkflowId = '{e.WorkflowId}'", 2);
        }

        var again = await Cli(command);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Re-run: 0, skipped: 3, failed: 0.", again.Out, StringComparison.Ordinal);
        foreach (var e in events)
        {
            Assert.Equal(2, await FailedRuns.RunCountAsync(temporal.Client, e.WorkflowId));
            Assert.Equal(WorkflowExecutionStatus.Completed, await FailedRuns.CurrentStatusAsync(temporal.Client, e.WorkflowId));
        }
    }

    public void Dispose() => File.Delete(stateFile);

    /// <summary>Resets a run's first workflow task directly, as a CLI killed after sending its reset leaves it.</summary>
    private async Task<string> ResetOutsideTheCliAsync(string workflowId, string runId)
    {
        var history = await temporal.Client.GetWorkflowHandle(workflowId, runId).FetchHistoryAsync();
        var firstCompleted = history.Events.First(e => e.EventType == EventType.WorkflowTaskCompleted);
        var response = await temporal.Client.WorkflowService.ResetWorkflowExecutionAsync(new ResetWorkflowExecutionRequest
        {
            Namespace = temporal.Namespace,
            WorkflowExecution = new() { WorkflowId = workflowId, RunId = runId },
            Reason = "platform outage 14:00",
            WorkflowTaskFinishEventId = firstCompleted.EventId,
            RequestId = Guid.NewGuid().ToString(),
        });
        return response.RunId;
    }

    private Task<CliResult> Cli(params string[] args) =>
        CliRun.RunAsync([.. args, "--state-file", stateFile, "--address", temporal.Address, "--namespace", temporal.Namespace]);
}
