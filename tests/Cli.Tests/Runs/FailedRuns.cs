using EventProcessor.DownstreamStubs;
using EventProcessor.Events.Validation;
using EventProcessor.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Tests.Runs;

/// <summary>
/// ReportSchemaGenerated runs of one report of their own, made to fail by the platform refusing
/// the sync with 401 (permanent, so the run fails at once instead of after the long retry budget).
/// The fault covers exactly the runs made to fail: once they have failed, the stub answers 202 again.
/// </summary>
internal static class FailedRuns
{
    public static string NewReportId() => $"rpt-{Guid.NewGuid():N}"[..16];

    public static async Task<IReadOnlyList<ParsedEvent>> CreateAsync(WorkflowHarness harness, string reportId, int count)
    {
        harness.Downstream.Platform.SchemaSync(reportId, "job-5521")
            .FailNext(PlatformStub.SchemaSyncPath(reportId), 401, times: count, error: "Missing or invalid bearer token");
        var events = Enumerable.Range(0, count).Select(_ => Load(reportId)).ToList();
        // One at a time: WireMock's FailNext counts its remaining failures with scenario state, which
        // concurrent requests can step past, leaving a 401 for the re-run to hit.
        foreach (var e in events)
        {
            await harness.RunToFailureAsync(e);
        }

        await VisibleAsync(harness.Client, $"ReportId = '{reportId}' AND ExecutionStatus = 'Failed'", count);
        return events;
    }

    public static ParsedEvent Load(string reportId) =>
        SampleEvents.Load("ReportSchemaGeneratedEvent", d => d["reportId"] = reportId);

    /// <summary>A real server's visibility is eventually consistent: wait until the query sees the runs.</summary>
    public static Task VisibleAsync(ITemporalClient client, string query, int count) =>
        Eventually.Async(async () => (await client.CountWorkflowsAsync(query)).Count == count, TimeSpan.FromSeconds(30), $"{count} run(s) matching {query}");

    public static async Task<WorkflowExecutionStatus> CurrentStatusAsync(ITemporalClient client, string workflowId) =>
        (await client.GetWorkflowHandle(workflowId).DescribeAsync()).Status;

    public static async Task AllCompletedAsync(TemporalServerFixture temporal, IEnumerable<ParsedEvent> events)
    {
        var client = temporal.Client;
        foreach (var e in events)
        {
            try
            {
                await Eventually.Async(
                    async () => await CurrentStatusAsync(client, e.WorkflowId) == WorkflowExecutionStatus.Completed,
                    TimeSpan.FromSeconds(60),
                    $"{e.WorkflowId} to complete");
            }
            catch (TimeoutException timeout)
            {
                // The run as on-call would see it, so a failure here explains itself.
                var shown = await CliRun.RunAsync("runs", "show", e.WorkflowId, "--address", temporal.Address, "--namespace", temporal.Namespace);
                throw new TimeoutException($"{timeout.Message}\n{shown}", timeout);
            }
        }
    }

    public static async Task<int> RunCountAsync(ITemporalClient client, string workflowId)
    {
        var count = 0;
        await foreach (var _ in client.ListWorkflowsAsync($"WorkflowId = '{workflowId}'"))
        {
            count++;
        }

        return count;
    }
}
