using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Accounts;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Accounts;

[Collection(TemporalCollection.Name)]
public sealed class LoginEmailDeliveredEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "LoginEmailDeliveredEvent";
    private const string Email = "sam.okafor@acme-retail.com";
    private const string Property = "last_login_email_delivered_at";

    [Fact]
    public async Task The_delivery_time_is_set_on_the_contact()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var id = harness.Downstream.HubSpot.Contact(Email);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ContactPropertySet>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, hubSpot: 2);
        var patch = Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.ContactPath(id), "PATCH"));
        Assert.Equal("""{"properties":{"last_login_email_delivered_at":"2026-11-20T10:14:52.000Z"}}""", StubJson.Body(patch)!.ToJsonString());
        Assert.Equal("2026-11-20T10:14:52.000Z", harness.Downstream.HubSpot.ContactOf(Email)!.Properties[Property]);
        Assert.Equal(new ContactPropertySet(Email, Property, true, id, null), result);
    }

    [Fact]
    public async Task A_missing_contact_is_not_created_and_the_result_says_so()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        var result = await harness.RunAsync<ContactPropertySet>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, hubSpot: 1);
        Assert.Empty(harness.Downstream.HubSpot.Contacts());
        Assert.False(result.ContactFound);
        Assert.Contains("HubSpot has no contact sam.okafor@acme-retail.com", result.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_update_is_retried_and_the_property_set()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var id = harness.Downstream.HubSpot.Contact(Email);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.ContactPath(id), 429,
            """{"status":"error","message":"You have reached your secondly limit.","category":"RATE_LIMITS","policyName":"SECONDLY"}""", retryAfterSeconds: 1, method: "PATCH");

        var result = await harness.RunAsync<ContactPropertySet>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, hubSpot: 4);
        Assert.Equal(2, harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.ContactPath(id), "PATCH").Count);
        Assert.Equal("2026-11-20T10:14:52.000Z", harness.Downstream.HubSpot.ContactOf(Email)!.Properties[Property]);
        Assert.True(result.ContactFound);
    }

    [Fact]
    public async Task A_forbidden_update_fails_the_run_naming_HubSpot_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var id = harness.Downstream.HubSpot.Contact(Email);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.ContactPath(id), 403,
            """{"status":"error","message":"This app hasn't been granted all required scopes.","category":"MISSING_SCOPES"}""", times: 100, method: "PATCH");

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "HubSpotForbidden", "HubSpot", id);
        Downstream.AssertRequestCounts(harness, hubSpot: 2);
        Assert.False(harness.Downstream.HubSpot.ContactOf(Email)!.Properties.ContainsKey(Property));
    }
}
