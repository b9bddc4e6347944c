using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Reports;

namespace EventProcessor.Workflows.Tests.Reports;

/// <summary>The sample: run run-20261120-0007 of report rpt-58213 stopped at 2026-11-20T10:20:00Z.</summary>
[Collection(TemporalCollection.Name)]
public sealed class ReportRunStoppedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Channel = $"project-{TicketScenario.ProjectUuid}";
    private static readonly long Seq = new DateTimeOffset(2026, 11, 20, 10, 20, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_frontend_is_told_once_that_the_run_stopped_at_100_percent(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        var parsed = SampleEvents.Load("ReportRunStoppedEvent");

        var result = await harness.RunAsync<Pushed>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        var pushed = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(Channel, pushed.Channel);
        Assert.Equal("report-stop-progress", pushed.Name);
        Assert.Equal(ExpectedPayload(), pushed.Payload!.ToJsonString());
        Assert.Equal(new Pushed(Channel, "report-stop-progress", Seq), result);
        Assert.Single(harness.Downstream.PusherServer.ReceivedRequests(harness.Downstream.Pusher.EventsPath, "POST"));
        Assert.Equal(1, harness.Downstream.RequestCounts.Values.Sum());
    }

    [Fact]
    public async Task A_failing_then_recovering_gateway_delivers_the_event_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 503);

        await harness.RunAsync<Pushed>(SampleEvents.Load("ReportRunStoppedEvent"));

        Assert.Equal(2, harness.Downstream.PusherServer.ReceivedRequests(harness.Downstream.Pusher.EventsPath, "POST").Count);
        var pushed = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(ExpectedPayload(), pushed.Payload!.ToJsonString());
    }

    [Fact]
    public async Task A_refused_signature_fails_the_run_naming_Pusher_the_event_and_the_channel()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 401, times: 100);
        var parsed = SampleEvents.Load("ReportRunStoppedEvent");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("PusherUnauthorized", cause.ErrorType);
        Assert.Contains("Pusher answered 401", cause.Message, StringComparison.Ordinal);
        Assert.Contains($"'report-stop-progress' on {Channel}", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.PusherServer.LogEntries);
        Assert.Empty(harness.Downstream.Pusher.Events);
    }

    private static string ExpectedPayload() => new JsonObject
    {
        ["reportId"] = "rpt-58213",
        ["runId"] = "run-20261120-0007",
        ["status"] = "stopped",
        ["percent"] = 100,
        ["seq"] = Seq,
    }.ToJsonString();
}
