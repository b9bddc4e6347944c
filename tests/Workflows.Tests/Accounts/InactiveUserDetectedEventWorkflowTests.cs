using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Accounts;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Accounts;

[Collection(TemporalCollection.Name)]
public sealed class InactiveUserDetectedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "InactiveUserDetectedEvent";
    private const string Email = "tom.baker@acme-retail.com";
    private static readonly StubPlatformUser Tom = new("usr-3020", Email, "Tom Baker", ["productUpdates", "runFailures"]);

    [Fact]
    public async Task The_contact_is_marked_inactive_and_a_subscribed_user_is_missed()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var id = harness.Downstream.HubSpot.Contact(Email);
        harness.Downstream.Platform.User(Tom);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<InactiveUserResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 1, hubSpot: 2, smtp: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.UserPath("usr-3020")));
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.ContactPath(id), "PATCH"));
        Assert.Equal("2026-08-02T17:20:00.000Z", harness.Downstream.HubSpot.ContactOf(Email)!.Properties["inactive_since"]);
        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal([Email], mail.EnvelopeTo);
        Assert.Equal("We miss you, Tom Baker: your projects are waiting", mail.Subject);
        Assert.Contains("since 2026-08-02", mail.Text, StringComparison.Ordinal);
        Assert.Equal((true, 1, (string?)null), (result.Contact.Found, result.Mail.Mailed.Count, result.MailSkipped));
    }

    [Fact]
    public async Task A_user_not_subscribed_to_product_updates_is_only_marked()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpot.Contact(Email);
        harness.Downstream.Platform.User(Tom with { Subscriptions = ["runFailures"] });

        var result = await harness.RunAsync<InactiveUserResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 1, hubSpot: 2);
        Assert.Contains("not subscribed to productUpdates", result.MailSkipped, StringComparison.Ordinal);
        Assert.Equal("2026-08-02T17:20:00.000Z", harness.Downstream.HubSpot.ContactOf(Email)!.Properties["inactive_since"]);
    }

    [Fact]
    public async Task A_rate_limited_platform_is_retried_and_the_user_mailed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpot.Contact(Email);
        harness.Downstream.Platform.User(Tom).FailNext(PlatformStub.UserPath("usr-3020"), 429, retryAfterSeconds: 1);

        await harness.RunAsync<InactiveUserResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 2, hubSpot: 2, smtp: 1);
        Assert.Single(harness.Downstream.Smtp.MessagesTo(Email));
    }

    [Fact]
    public async Task An_unknown_user_fails_clearly_and_is_not_mailed()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpot.Contact(Email);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "UserNotFound", "User usr-3020 does not exist on the platform");
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.UserPath("usr-3020")));
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }
}
