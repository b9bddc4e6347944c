using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;

namespace EventProcessor.Workflows.Tests.Tickets;

/// <summary>
/// The sample: SUP-1235 was created for the Acme Retail project, reported by Maria Lopez (a HubSpot
/// contact). The stand-ins map project uuid and name to customfield_10042 and customfield_10043.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class TicketCreatedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string TicketKey = "SUP-1235";
    private const string ProjectUuid = TicketScenario.ProjectUuid;

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task The_ticket_gets_its_project_fields_and_a_HubSpot_twin_associated_with_the_reporter(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        var contactId = Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("TicketCreatedEvent");

        var result = await harness.RunAsync<TicketCreatedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        AssertProjectFieldsWritten(harness);
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        Assert.Equal("[SUP-1235] Enable the weekly schedule", ticket.Properties["subject"]);
        Assert.Equal("1", ticket.Properties["hs_pipeline_stage"]); // "Open"
        Assert.Equal("0", ticket.Properties["hs_pipeline"]);
        Assert.Equal("MEDIUM", ticket.Properties["hs_ticket_priority"]);
        Assert.Equal($"{harness.Downstream.Jira.BaseUrl}/browse/{TicketKey}", ticket.Properties["jira_url"]);
        Assert.Equal([contactId], harness.Downstream.HubSpot.ContactsAssociatedWith(ticket.Id));
        Assert.Equal(
            new TicketCreatedResult(TicketKey, ProjectUuid, result.JiraFieldsWritten, ticket.Id, HubSpotTicketCreated: true, AssociatedWithReporter: true),
            result);
        Assert.Equal(["customfield_10042", "customfield_10043"], result.JiraFieldsWritten);

        // Every request once: the two reads, the site's field types (read once per worker), the Jira
        // edit, then HubSpot's upsert by jira_ticket_key, contact lookup and association.
        var jira = harness.Downstream.JiraServer;
        Assert.Single(jira.ReceivedRequests(JiraStub.IssuePath(TicketKey), "GET"));
        Assert.Single(jira.ReceivedRequests(JiraStub.FieldsPath, "GET"));
        Assert.Single(jira.ReceivedRequests(JiraStub.IssuePath(TicketKey), "PUT"));
        Assert.Equal(3, jira.LogEntries.Count());
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(ProjectUuid), "GET"));
        Assert.Single(harness.Downstream.PlatformServer.LogEntries);
        var hubSpot = harness.Downstream.HubSpotServer;
        Assert.Single(hubSpot.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST"));
        Assert.Single(hubSpot.LogEntries, e => e.RequestMessage.Method == "GET" && e.RequestMessage.Path.StartsWith("/crm/v3/objects/contacts/", StringComparison.Ordinal));
        Assert.Single(hubSpot.ReceivedRequests(HubSpotStub.AssociationPath(ticket.Id, contactId), "PUT"));
        Assert.Equal(3, hubSpot.LogEntries.Count());
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
    }

    [Fact]
    public async Task Without_a_project_in_the_event_the_project_linked_to_the_ticket_is_used()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        harness.Downstream.Platform.TicketProject(TicketKey, TicketScenario.Project);
        var parsed = SampleEvents.Load("TicketCreatedEvent", d => d.Remove("projectUuid"));

        var result = await harness.RunAsync<TicketCreatedResult>(parsed);

        Assert.Equal(ProjectUuid, result.ProjectUuid);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.TicketProjectPath(TicketKey), "GET"));
        Assert.Empty(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(ProjectUuid)));
        AssertProjectFieldsWritten(harness);
    }

    [Fact]
    public async Task A_reporter_who_is_no_HubSpot_contact_leaves_the_ticket_unassociated()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream, reporterIsContact: false);

        var result = await harness.RunAsync<TicketCreatedResult>(SampleEvents.Load("TicketCreatedEvent"));

        Assert.False(result.AssociatedWithReporter);
        Assert.Empty(harness.Downstream.HubSpot.ContactsAssociatedWith(result.HubSpotTicketId));
        Assert.Empty(harness.Downstream.HubSpot.Contacts());
    }

    [Fact]
    public async Task Failing_then_recovering_APIs_write_the_fields_once_and_leave_one_associated_HubSpot_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var contactId = Arrange(harness.Downstream);
        harness.Downstream.Jira.FailNext(JiraStub.IssuePath(TicketKey), 429, retryAfterSeconds: 1, method: "PUT");
        harness.Downstream.PlatformServer.FailNext(PlatformStub.ProjectPath(ProjectUuid), 503);
        harness.Downstream.HubSpotServer.FailNext(HubSpotStub.TicketsUpsertPath, 503, """{"status":"error","message":"Service unavailable","category":"INTERNAL_ERROR"}""");

        var result = await harness.RunAsync<TicketCreatedResult>(SampleEvents.Load("TicketCreatedEvent"));

        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath(TicketKey), "PUT").Count);
        Assert.Equal(2, harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(ProjectUuid)).Count);
        AssertProjectFieldsWritten(harness);
        var ticket = Assert.Single(harness.Downstream.HubSpot.TicketsFor(TicketKey));
        Assert.Equal(result.HubSpotTicketId, ticket.Id);
        Assert.Equal(2, harness.Downstream.HubSpotServer.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST").Count);
        Assert.Equal([contactId], harness.Downstream.HubSpot.ContactsAssociatedWith(ticket.Id));
    }

    [Fact]
    public async Task An_unknown_project_fails_the_run_naming_the_platform_and_the_project_before_anything_is_written()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("TicketCreatedEvent", d => d["projectUuid"] = "00000000-0000-0000-0000-000000000404");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("ProjectNotFound", cause.ErrorType);
        Assert.Contains("Project 00000000-0000-0000-0000-000000000404 of ticket SUP-1235 does not exist on the platform", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Platform answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath(TicketKey), "PUT"));
        Assert.Empty(harness.Downstream.HubSpotServer.LogEntries);
        Assert.DoesNotContain("UpdateIssueFields", await Runs.ActivitiesOfAsync(harness, parsed));
    }

    [Fact]
    public async Task A_ticket_linked_to_no_project_fails_the_run_clearly()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        Arrange(harness.Downstream);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketCreatedEvent", d => d.Remove("projectUuid")));

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("TicketHasNoProject", cause.ErrorType);
        Assert.Contains("Ticket SUP-1235 has no linked platform project", cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath(TicketKey), "PUT"));
        Assert.Empty(harness.Downstream.HubSpotServer.LogEntries);
    }

    [Fact]
    public async Task An_unknown_Jira_ticket_fails_the_run_naming_Jira_and_the_ticket()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Platform.Project(TicketScenario.Project);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketCreatedEvent"));

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("TicketNotFound", cause.ErrorType);
        Assert.Contains("Jira ticket SUP-1235 does not exist", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Jira answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.LogEntries);
        Assert.Empty(harness.Downstream.HubSpotServer.LogEntries);
    }

    /// <summary>Arranges the ticket, its project and (unless told otherwise) the reporter's HubSpot contact, whose id it returns.</summary>
    private static string Arrange(DownstreamStandIns downstream, bool reporterIsContact = true)
    {
        downstream.Jira.Issue(new StubJiraIssue(TicketKey, "Enable the weekly schedule", "Open", "Medium", TicketScenario.Author));
        downstream.Platform.Project(TicketScenario.Project);
        return reporterIsContact ? downstream.HubSpot.Contact(TicketScenario.Author.Email!) : string.Empty;
    }

    private static void AssertProjectFieldsWritten(WorkflowHarness harness)
    {
        var fields = harness.Downstream.Jira.IssueOf(TicketKey)!.Fields!;
        Assert.Equal(ProjectUuid, fields["customfield_10042"]!.GetValue<string>());
        Assert.Equal("Acme Retail price tracking", fields["customfield_10043"]!.GetValue<string>());
    }
}
