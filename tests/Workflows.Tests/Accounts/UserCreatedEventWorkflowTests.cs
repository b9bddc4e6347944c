using EventProcessor.Activities.HubSpot;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Accounts;

[Collection(TemporalCollection.Name)]
public sealed class UserCreatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "UserCreatedEvent";
    private const string Email = "sam.okafor@acme-retail.com";

    [Fact]
    public async Task The_new_user_becomes_a_HubSpot_contact()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<HubSpotContactResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, hubSpot: 1);
        var upsert = Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.ContactsUpsertPath, "POST"));
        var input = StubJson.Body(upsert)!["inputs"]![0]!;
        Assert.Equal((Email, "email"), ((string?)input["id"], (string?)input["idProperty"]));
        var contact = harness.Downstream.HubSpot.ContactOf(Email)!;
        Assert.Equal(("Sam", "Okafor", "Acme Retail"), (contact.Properties["firstname"], contact.Properties["lastname"], contact.Properties["company"]));
        Assert.Equal(new HubSpotContactResult(contact.Id, true), result);
    }

    [Fact]
    public async Task An_existing_contact_is_updated_and_a_missing_name_blanks_nothing()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var id = harness.Downstream.HubSpot.Contact(Email, new Dictionary<string, string> { ["firstname"] = "Samuel", ["phone"] = "+49 30 1234" });

        var result = await harness.RunAsync<HubSpotContactResult>(SampleEvents.Load(Sample, d =>
        {
            d.Remove("name");
            d["company"] = "Acme Retail SE";
        }));

        var contact = Assert.Single(harness.Downstream.HubSpot.Contacts());
        Assert.Equal(new HubSpotContactResult(id, false), result);
        Assert.Equal(("Samuel", "+49 30 1234", "Acme Retail SE"), (contact.Properties["firstname"], contact.Properties["phone"], contact.Properties["company"]));
        Assert.False(contact.Properties.ContainsKey("lastname"));
    }

    [Fact]
    public async Task A_HubSpot_outage_is_retried_and_one_contact_exists()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.ContactsUpsertPath, 503,
            """{"status":"error","message":"Service Unavailable","category":"SERVICE_UNAVAILABLE"}""", retryAfterSeconds: 1);

        await harness.RunAsync<HubSpotContactResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, hubSpot: 2);
        Assert.Single(harness.Downstream.HubSpot.Contacts());
    }

    [Fact]
    public async Task Refused_HubSpot_credentials_fail_the_run_naming_HubSpot_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.ContactsUpsertPath, 401,
            """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "HubSpotUnauthorized", "HubSpot", Email);
        Downstream.AssertRequestCounts(harness, hubSpot: 1);
        Assert.Empty(harness.Downstream.HubSpot.Contacts());
    }
}
