using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Crawler;

[Collection(TemporalCollection.Name)]
public sealed class CrawlerRunStartedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "CrawlerRunStartedEvent";
    private static readonly long Seq = new DateTimeOffset(2026, 11, 20, 10, 38, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task The_frontend_is_told_the_run_started_at_zero_percent()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<Pushed>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, pusher: 1);
        Assert.Single(harness.Downstream.PusherServer.ReceivedRequests(harness.Downstream.Pusher.EventsPath, "POST"));
        var push = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(("project-" + CatalogScenario.ProjectUuid, "report-run-started"), (push.Channel, push.Name));
        Assert.Equal(
            $$"""{"reportId":"rpt-58213","runId":"run-20261120-0009","status":"running","percent":0,"seq":{{Seq}}}""",
            push.Payload!.ToJsonString());
        Assert.Equal(new Pushed(push.Channel, "report-run-started", Seq), result);
    }

    [Fact]
    public async Task A_push_gateway_outage_is_retried_and_the_event_pushed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 503, retryAfterSeconds: 1);

        await harness.RunAsync<Pushed>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, pusher: 2);
        Assert.Single(harness.Downstream.Pusher.Events);
    }

    [Fact]
    public async Task Refused_Pusher_credentials_fail_the_run_naming_Pusher_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 401, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "PusherUnauthorized", "Pusher", "report-run-started");
        Downstream.AssertRequestCounts(harness, pusher: 1);
        Assert.Empty(harness.Downstream.Pusher.Events);
    }
}
