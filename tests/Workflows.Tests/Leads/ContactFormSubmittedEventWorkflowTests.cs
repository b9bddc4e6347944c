using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Leads;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Leads;

[Collection(TemporalCollection.Name)]
public sealed class ContactFormSubmittedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "ContactFormSubmittedEvent";
    private const string Label = "contact-cf-20261120-0192";
    private const string Email = "olivia.brandt@helios-energy.de";

    [Fact]
    public async Task The_contact_is_upserted_and_one_lead_ticket_created_on_the_lead_board()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ContactFormSubmittedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, jira: 2, hubSpot: 1);
        Assert.Single(harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.ContactsUpsertPath, "POST"));
        var contact = harness.Downstream.HubSpot.ContactOf(Email)!;
        Assert.Equal(("Olivia", "Brandt", "Helios Energy"), (contact.Properties["firstname"], contact.Properties["lastname"], contact.Properties["company"]));
        Assert.Contains("project = \"MC\"", Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath, "GET")).Query!["jql"].Single(), StringComparison.Ordinal);
        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(("MC-1", Label), (issue.Key, Assert.Single(issue.Labels!)));
        Assert.Equal("Contact form: Olivia Brandt (Helios Energy)", issue.Summary);
        var description = issue.Fields!["description"]!.ToJsonString();
        Assert.Contains("We need daily tariff data from 30 utility websites. Can you help?", description, StringComparison.Ordinal);
        Assert.Contains($"HubSpot contact: {contact.Id}", description, StringComparison.Ordinal);
        Assert.Contains(Email, description, StringComparison.Ordinal);
        Assert.Equal((contact.Id, true, "MC-1", false), (result.Contact.ContactId, result.Contact.Created, result.Ticket.Key, result.Ticket.AlreadyExisted));
    }

    [Fact]
    public async Task A_rate_limited_HubSpot_and_a_lost_Jira_answer_leave_one_contact_and_one_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.ContactsUpsertPath, 429,
            """{"status":"error","message":"You have reached your secondly limit.","category":"RATE_LIMITS","policyName":"SECONDLY"}""", retryAfterSeconds: 1);
        Downstream.JiraCreatesButTheAnswerIsLost(harness.Downstream, "MC-1", Label);

        var result = await harness.RunAsync<ContactFormSubmittedResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, jira: 3, hubSpot: 2);
        Assert.Single(harness.Downstream.HubSpot.Contacts());
        Assert.Equal(("MC-1", true), (result.Ticket.Key, result.Ticket.AlreadyExisted));
        Assert.Equal(1, await Downstream.JiraIssuesLabelledAsync(harness.Downstream, Label));
    }

    [Fact]
    public async Task The_same_submission_delivered_again_finds_its_ticket_and_contact()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);

        var first = await harness.RunAsync<ContactFormSubmittedResult>(SampleEvents.Load(Sample));
        var again = await harness.RunAsync<ContactFormSubmittedResult>(SampleEvents.Load(Sample));

        Assert.Equal(("MC-1", false, true), (first.Ticket.Key, first.Ticket.AlreadyExisted, first.Contact.Created));
        Assert.Equal(("MC-1", true, false), (again.Ticket.Key, again.Ticket.AlreadyExisted, again.Contact.Created));
        Assert.Single(harness.Downstream.HubSpot.Contacts());
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.Equal(1, await Downstream.JiraIssuesLabelledAsync(harness.Downstream, Label));
    }

    [Fact]
    public async Task Refused_HubSpot_credentials_fail_the_run_naming_HubSpot_before_any_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.ContactsUpsertPath, 401,
            """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertActivityFailure(failure, "HubSpotUnauthorized", "HubSpot", Email);
        Downstream.AssertRequestCounts(harness, hubSpot: 1);
    }
}
