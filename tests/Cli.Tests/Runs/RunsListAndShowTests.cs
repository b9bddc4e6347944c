using System.Text.RegularExpressions;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Reports;
using Microsoft.Extensions.Configuration;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.Cli.Tests.Runs;

[Collection(TemporalCollection.Name)]
public sealed partial class RunsListAndShowTests(TemporalServerFixture temporal)
{
    [Fact]
    public async Task Filters_select_exactly_the_expected_runs()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportA = FailedRuns.NewReportId();
        var reportB = FailedRuns.NewReportId();
        var failedA = (await FailedRuns.CreateAsync(harness, reportA, 1)).Single();
        var completedA = FailedRuns.Load(reportA);
        await harness.RunAsync<ReportSchemaSynced>(completedA);
        harness.Downstream.Platform.SchemaSync(reportB, "job-b");
        var completedB = FailedRuns.Load(reportB);
        await harness.RunAsync<ReportSchemaSynced>(completedB);
        await FailedRuns.VisibleAsync(harness.Client, $"ReportId = '{reportA}' OR ReportId = '{reportB}'", 3);

        Assert.Equal([failedA.WorkflowId], await ListedAsync("--report", reportA, "--status", "failed"));
        Assert.Equal(new[] { completedA.WorkflowId, failedA.WorkflowId }.Order(StringComparer.Ordinal), (await ListedAsync("--report", reportA)).Order(StringComparer.Ordinal));
        Assert.Equal([completedB.WorkflowId], await ListedAsync("--event-id", completedB.Envelope.Id, "--type", "ReportSchemaGenerated"));
        Assert.Equal([completedB.WorkflowId], await ListedAsync("--query", $"ReportId = '{reportB}'", "--since", "1h", "--status", "Completed"));
        Assert.Empty(await ListedAsync("--report", reportA, "--until", "2020-01-01T00:00:00Z"));
        Assert.Empty(await ListedAsync("--report", reportA, "--type", "TicketCommentedEvent"));
        Assert.Empty(await ListedAsync("--report", reportB, "--status", "Failed"));
    }

    [Fact]
    public async Task List_shows_id_type_status_times_and_business_key()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var failed = (await FailedRuns.CreateAsync(harness, reportId, 1)).Single();

        var result = await Cli("runs", "list", "--report", reportId);

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Out.Split('\n'), l => l.Contains(failed.WorkflowId, StringComparison.Ordinal));
        Assert.Matches($@"{Regex.Escape(failed.WorkflowId)}\s*│\s*ReportSchemaGeneratedEvent\s*│\s*Failed\s*│\s*\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s*│\s*\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s*│\s*report {reportId}", line);
        Assert.Contains("1 run(s).", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_displays_the_failing_activity_and_its_last_error()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        var failed = (await FailedRuns.CreateAsync(harness, reportId, 1)).Single();

        var result = await Cli("runs", "show", failed.WorkflowId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"\"ReportId\": \"{reportId}\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("ReportSchemaGenerated " + reportId + ": sync generated schema", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"SyncReportSchema\s*│\s*Sync the generated schema of report " + reportId + @"\s*│[^│]*│\s*Failed\s*│\s*1\s*│\s*PlatformUnauthorized", result.Out);
        Assert.Matches(@"SyncReportSchema \(event \d+, attempt 1\) last error: application \[PlatformUnauthorized\]: Platform answered 401", result.Out);
        Assert.Contains("activity [SyncReportSchema]: Activity task failed\n  caused by application [PlatformUnauthorized]: Platform answered 401", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Pending activities", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_lists_a_retrying_activity_as_pending_with_its_attempt_and_last_error()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var reportId = FailedRuns.NewReportId();
        harness.Downstream.Platform.SchemaSync(reportId, "job-1").FailNext(PlatformStub.SchemaSyncPath(reportId), 503, times: 1000);
        var handle = await harness.StartAsync(FailedRuns.Load(reportId));
        await Eventually.Async(
            async () => (await harness.Client.WorkflowService.DescribeWorkflowExecutionAsync(new()
            {
                Namespace = harness.Client.Options.Namespace,
                Execution = new() { WorkflowId = handle.Id },
            })).PendingActivities.Any(p => p.Attempt >= 2),
            TimeSpan.FromSeconds(30),
            "a second attempt");

        try
        {
            var result = await Cli("runs", "show", handle.Id);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Matches(@"SyncReportSchema \(id \S+\) \w+, attempt \d+, next attempt [^,]+, last error: application \[PlatformServerError\]: Platform answered 503", result.Out);
            Assert.Contains("Running", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            await handle.TerminateAsync("test done");
        }
    }

    [Fact]
    public async Task Show_of_an_unknown_workflow_says_so_and_fails()
    {
        var result = await Cli("runs", "show", "TicketCommented-no-such-run");

        Assert.Equal(ExitCodes.SomeFailed, result.ExitCode);
        Assert.Contains("error: No run of workflow 'TicketCommented-no-such-run' in namespace", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_decodes_an_encrypted_run_with_the_keys_and_names_the_missing_setting_without_them()
    {
        var keys = new Dictionary<string, string?>
        {
            ["Encryption:CurrentKeyId"] = "cli-test",
            ["Encryption:Keys:cli-test"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        var converter = EventProcessor.Encryption.EventProcessorDataConverter.Create(new ConfigurationBuilder().AddInMemoryCollection(keys).Build());
        await using var harness = await WorkflowHarness.StartAsync(temporal, dataConverter: converter);
        var reportId = FailedRuns.NewReportId();
        harness.Downstream.Platform.SchemaSync(reportId, "job-encrypted");
        var run = FailedRuns.Load(reportId);
        await harness.RunAsync<ReportSchemaSynced>(run);

        var decoded = await CliRun.RunAsync(["runs", "show", run.WorkflowId, "--address", temporal.Address, "--namespace", temporal.Namespace], settings: keys);
        var withoutKeys = await CliRun.RunAsync(["runs", "show", run.WorkflowId, "--address", temporal.Address, "--namespace", temporal.Namespace], settings: new Dictionary<string, string?>());

        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        Assert.True(decoded.Out.Contains("job-encrypted", StringComparison.Ordinal), decoded.Out);
        Assert.Contains(reportId, decoded.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, withoutKeys.ExitCode);
        Assert.Contains("Encryption:", withoutKeys.Error, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> ListedAsync(params string[] filters)
    {
        var result = await Cli(["runs", "list", .. filters]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. WorkflowIdCell().Matches(result.Out).Select(m => m.Groups["id"].Value)];
    }

    private Task<CliResult> Cli(params string[] args) =>
        CliRun.RunAsync([.. args, "--address", temporal.Address, "--namespace", temporal.Namespace]);

    [GeneratedRegex(@"│ (?<id>ReportSchemaGenerated-[0-9a-f-]{36})\s")]
    private static partial Regex WorkflowIdCell();
}
