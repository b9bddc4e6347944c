using EventProcessor.Cli.Runs;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Reports;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Cli.Tests.Runs;

[Collection(TemporalCollection.Name)]
public sealed class RunsRerunTests(TemporalServerFixture temporal) : IDisposable
{
    private readonly string stateFile = Path.Combine(Path.GetTempPath(), $"cli-rerun-{Guid.NewGuid():N}.jsonl");

    [Fact]
    public async Task Rerun_by_query_brings_every_failed_run_to_completed_once_the_fault_is_gone()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 3);

        var result = await Cli("runs", "rerun", "--query", $"ReportId = '{reportId}' AND ExecutionStatus = 'Failed'", "--reason", "platform token rotated");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Re-run: 3, skipped: 0, failed: 0.", result.Out, StringComparison.Ordinal);
        await FailedRuns.AllCompletedAsync(temporal, events);
        foreach (var e in events)
        {
            var synced = await harness.Client.GetWorkflowHandle(e.WorkflowId).GetResultAsync<ReportSchemaSynced>();
            Assert.Equal("job-5521", synced.JobId);
        }
    }

    [Fact]
    public async Task Dry_run_lists_what_would_be_re_run_and_changes_nothing()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 2);
        var runIds = await Task.WhenAll(events.Select(async e => (await harness.Client.GetWorkflowHandle(e.WorkflowId).DescribeAsync()).RunId));

        var result = await Cli("runs", "rerun", "--report", reportId, "--reason", "check first", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Dry run: 2 would be re-run, 0 skipped, 0 failed. Nothing was changed.", result.Out, StringComparison.Ordinal);
        Assert.Contains("would reset to event", result.Out, StringComparison.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var described = await harness.Client.GetWorkflowHandle(events[i].WorkflowId).DescribeAsync();
            Assert.Equal(runIds[i], described.RunId);
            Assert.Equal(WorkflowExecutionStatus.Failed, described.Status);
            Assert.Equal(1, await FailedRuns.RunCountAsync(harness.Client, events[i].WorkflowId));
        }

        Assert.False(File.Exists(stateFile));
    }

    [Fact]
    public async Task An_interrupted_bulk_rerun_resumed_finishes_without_re_running_any_run_twice()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 4);
        string[] command = ["runs", "rerun", "--type", "ReportSchemaGenerated", "--report", reportId, "--status", "Failed", "--reason", "platform outage 14:00"];

        using var interrupt = new CancellationTokenSource();
        var rerunBeforeInterrupt = 0;
        var first = await Cli(command, o =>
        {
            if (o.Kind == RerunOutcomeKind.Rerun && ++rerunBeforeInterrupt == 2)
            {
                interrupt.Cancel();
            }
        }, interrupt.Token);

        Assert.True(first.ExitCode == ExitCodes.Interrupted, first.ToString());
        Assert.Contains("Re-run: 2, skipped: 0, failed: 0.", first.Out, StringComparison.Ordinal);
        Assert.Contains("Interrupted after 2 of 4 run(s). Run the same command again to resume", first.Out, StringComparison.Ordinal);

        var resumed = await Cli(command);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Re-run: 2, skipped: 2, failed: 0.", resumed.Out, StringComparison.Ordinal);
        Assert.Equal(2, CountOccurrences(resumed.Out, ": skipped (already re-run by this operation"));
        await FailedRuns.AllCompletedAsync(temporal, events);
        foreach (var e in events)
        {
            await FailedRuns.VisibleAsync(harness.Client, $"WorkflowId = '{e.WorkflowId}'", 2);
        }

        // Without the state file, the server still says the failed runs were already re-run.
        var again = await Cli([.. command[..^1], "another operator", "--state-file", stateFile + ".other"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Re-run: 0, skipped: 4, failed: 0.", again.Out, StringComparison.Ordinal);
        Assert.Equal(4, CountOccurrences(again.Out, ": skipped (superseded: the workflow's current run is"));
    }

    [Fact]
    public async Task Rerun_by_workflow_id_from_the_first_workflow_task_calls_the_activity_again()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 1);

        var result = await Cli("runs", "rerun", events[0].WorkflowId, "--from", "first", "--reason", "token fixed");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Re-run: 1, skipped: 0, failed: 0.", result.Out, StringComparison.Ordinal);
        await FailedRuns.AllCompletedAsync(temporal, events);
        Assert.Equal(2, harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath(reportId), "POST").Count);
    }

    /// <summary>
    /// From the last workflow task, the steps already done (here: the failed call) are kept, as on a
    /// real server: the run replays to the same failure without calling the platform again.
    /// </summary>
    [Fact]
    public async Task Rerun_from_the_last_workflow_task_keeps_the_completed_steps()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 1);
        var before = await harness.Client.GetWorkflowHandle(events[0].WorkflowId).DescribeAsync();

        var result = await Cli("runs", "rerun", events[0].WorkflowId, "--from", "last", "--reason", "workflow fix deployed");

        Assert.True(result.ExitCode == 0, result.ToString());
        var after = await Eventually.ValueAsync(
            () => harness.Client.GetWorkflowHandle(events[0].WorkflowId).DescribeAsync(),
            d => d.RunId != before.RunId && d.Status != WorkflowExecutionStatus.Running,
            TimeSpan.FromSeconds(30),
            "the reset run to close");
        Assert.Equal(WorkflowExecutionStatus.Failed, after.Status);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath(reportId), "POST"));
    }

    /// <summary>
    /// A server answers a repeated reset request id with the earlier run only while that run is
    /// current, so the CLI does not count on it: the reset reason in the new run's history is enough.
    /// </summary>
    [Fact]
    public async Task A_run_this_operation_created_is_recognised_from_its_history_without_the_state_file()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var events = await FailedRuns.CreateAsync(harness, reportId, 1);
        var first = await Cli("runs", "rerun", events[0].WorkflowId, "--reason", "token fixed");
        Assert.True(first.ExitCode == 0, first.ToString());
        await FailedRuns.AllCompletedAsync(temporal, events);

        var again = await Cli("runs", "rerun", events[0].WorkflowId, "--from", "first", "--yes", "--reason", "token fixed", "--state-file", stateFile + ".other");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Re-run: 0, skipped: 1, failed: 0.", again.Out, StringComparison.Ordinal);
        Assert.Contains(": skipped (already re-run by this operation (this run re-runs ", again.Out, StringComparison.Ordinal);
        Assert.Equal(2, harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath(reportId), "POST").Count);
    }

    [Fact]
    public async Task More_than_twenty_runs_need_yes_and_nothing_is_reset_without_it()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var ids = Enumerable.Range(0, 21).Select(i => $"ReportSchemaGenerated-missing-{Guid.NewGuid():N}").ToArray();

        var result = await Cli(["runs", "rerun", .. ids, "--reason", "bulk"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("21 runs match; re-running more than 20 needs --yes", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(stateFile));
    }

    [Fact]
    public async Task A_run_that_does_not_exist_is_reported_as_failed_in_the_summary()
    {
        var result = await Cli("runs", "rerun", $"ReportSchemaGenerated-missing-{Guid.NewGuid():N}", "--reason", "typo");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains("Re-run: 0, skipped: 0, failed: 1.", result.Out, StringComparison.Ordinal);
        Assert.Contains("Temporal: no such run", result.Out, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        File.Delete(stateFile);
        File.Delete(stateFile + ".other");
    }

    private Task<CliResult> Cli(params string[] args) => Cli(args, null, CancellationToken.None);

    private Task<CliResult> Cli(string[] args, Action<RerunOutcome>? onRerun, CancellationToken cancellationToken = default)
    {
        string[] connection = ["--address", temporal.Address, "--namespace", temporal.Namespace];
        var withState = args.Contains("--state-file") || args[..2].SequenceEqual(["runs", "rerun"]) is false ? args : [.. args, "--state-file", stateFile];
        return CliRun.RunAsync([.. withState, .. connection], onRerun, cancellationToken);
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
