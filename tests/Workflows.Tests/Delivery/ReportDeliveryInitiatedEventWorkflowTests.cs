using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Delivery;

[Collection(TemporalCollection.Name)]
public sealed class ReportDeliveryInitiatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "ReportDeliveryInitiatedEvent";
    private static readonly long Seq = new DateTimeOffset(2026, 11, 20, 10, 39, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task The_frontend_is_told_the_delivery_started()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<Pushed>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, pusher: 1);
        Assert.Single(harness.Downstream.PusherServer.ReceivedRequests(harness.Downstream.Pusher.EventsPath, "POST"));
        var push = Assert.Single(harness.Downstream.Pusher.Events);
        Assert.Equal(("project-" + CatalogScenario.ProjectUuid, "report-delivery-initiated"), (push.Channel, push.Name));
        Assert.Equal(
            $$"""{"reportId":"rpt-58213","runId":"run-20261120-0007","destination":"s3://acme-retail-exports/prices/","status":"delivering","seq":{{Seq}}}""",
            push.Payload!.ToJsonString());
        Assert.Equal(Seq, result.Seq);
    }

    [Fact]
    public async Task A_rate_limited_push_gateway_is_retried_and_the_event_pushed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 429, retryAfterSeconds: 1);

        await harness.RunAsync<Pushed>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, pusher: 2);
        Assert.Single(harness.Downstream.Pusher.Events);
    }

    [Fact]
    public async Task A_forbidden_push_fails_the_run_naming_Pusher_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.PusherServer.FailNext(harness.Downstream.Pusher.EventsPath, 403, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "PusherForbidden", "Pusher", "report-delivery-initiated");
        Downstream.AssertRequestCounts(harness, pusher: 1);
        Assert.Empty(harness.Downstream.Pusher.Events);
    }
}
