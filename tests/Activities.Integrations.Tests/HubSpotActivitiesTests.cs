using System.Globalization;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Integrations.Tests.Support;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Converters;
using Temporalio.Testing;
using WireMock;

namespace EventProcessor.Activities.Integrations.Tests;

public sealed class HubSpotActivitiesTests : IDisposable
{
    private const string Email = "ada@customer.example";
    private const string TicketKey = "SUP-1234";
    private const string Pipeline = "0";
    private const string OpenStage = "1";
    private const string DoneStage = "4";

    private readonly IntegrationHost host = new();
    private readonly HubSpotStub stub;
    private readonly List<object?[]> heartbeats = [];

    public HubSpotActivitiesTests() => stub = new HubSpotStub(host.Server);

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Upsert_contact_sends_a_batch_upsert_keyed_by_email_and_running_it_twice_keeps_one_contact()
    {
        var properties = new Dictionary<string, string> { ["firstname"] = "Ada", ["company"] = "Analytical Engines" };

        var first = await Run(a => a.UpsertContactAsync(Email, properties));
        var second = await Run(a => a.UpsertContactAsync(Email, properties));

        var requests = host.Server.ReceivedRequests(HubSpotStub.ContactsUpsertPath, "POST");
        Assert.Equal(2, requests.Count);
        Assert.Equal($"Bearer {HubSpotStub.DefaultAccessToken}", StubJson.Header(requests[0], "Authorization"));
        Assert.Equal(
            """{"inputs":[{"id":"ada@customer.example","idProperty":"email","properties":{"firstname":"Ada","company":"Analytical Engines"}}]}""",
            requests[0].Body);
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.ContactId, second.ContactId);
        var contact = Assert.Single(stub.Contacts());
        Assert.Equal(first.ContactId, contact.Id);
        Assert.Equal("Analytical Engines", contact.Properties["company"]);
    }

    [Fact]
    public async Task A_207_with_errors_is_a_permanent_failure_naming_the_contact_and_hubspots_reason()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.UpsertContactAsync("ada@customer", new Dictionary<string, string>())), "HubSpotUpsertRejected", retryable: false);

        Assert.Contains("ada@customer", failure.Message, StringComparison.Ordinal);
        Assert.Contains("VALIDATION_ERROR", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_contact_properties_looks_the_contact_up_by_email_and_patches_it_by_id()
    {
        var id = stub.Contact(Email, new Dictionary<string, string> { ["firstname"] = "Ada" });

        var result = await Run(a => a.SetContactPropertiesAsync(Email, new Dictionary<string, string> { ["inactive_since"] = "2026-11-01" }));

        var lookup = Assert.Single(Requests("GET"));
        Assert.Equal(HubSpotStub.ContactByEmailPath(Email), Uri.UnescapeDataString(lookup.Path));
        Assert.Equal("email", StubJson.Query(lookup, "idProperty"));
        Assert.Equal($"Bearer {HubSpotStub.DefaultAccessToken}", StubJson.Header(lookup, "Authorization"));
        var patch = Assert.Single(host.Server.ReceivedRequests(HubSpotStub.ContactPath(id), "PATCH"));
        Assert.Equal("""{"properties":{"inactive_since":"2026-11-01"}}""", patch.Body);
        Assert.Equal(new HubSpotContactUpdate(Found: true, id), result);
        Assert.Equal("2026-11-01", stub.ContactOf(Email)!.Properties["inactive_since"]);
        Assert.Equal("Ada", stub.ContactOf(Email)!.Properties["firstname"]);
    }

    [Fact]
    public async Task Set_contact_properties_of_an_unknown_email_reports_it_and_creates_nothing()
    {
        var result = await Run(a => a.SetContactPropertiesAsync(Email, new Dictionary<string, string> { ["inactive_since"] = "2026-11-01" }));

        Assert.Equal(new HubSpotContactUpdate(Found: false, ContactId: null), result);
        Assert.Empty(stub.Contacts());
        Assert.Empty(Requests("PATCH"));
    }

    [Fact]
    public async Task Upsert_ticket_searches_by_jira_key_then_creates_once_and_updates_on_the_second_run()
    {
        var input = new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Open", new Dictionary<string, string> { ["hs_ticket_priority"] = "HIGH" });

        var first = await Run(a => a.UpsertTicketAsync(input));
        var second = await Run(a => a.UpsertTicketAsync(input with { Subject = "Crawler stopped again" }));

        var search = host.Server.ReceivedRequests(HubSpotStub.TicketSearchPath, "POST")[0];
        Assert.Equal(
            """{"filterGroups":[{"filters":[{"propertyName":"jira_ticket_key","operator":"EQ","value":"SUP-1234"}]}],"properties":["jira_ticket_key","subject","hs_pipeline","hs_pipeline_stage"],"sorts":[{"propertyName":"createdate","direction":"ASCENDING"}],"limit":1}""",
            search.Body);
        var create = Assert.Single(host.Server.ReceivedRequests(HubSpotStub.TicketsPath, "POST"));
        Assert.Equal(
            """{"properties":{"hs_ticket_priority":"HIGH","jira_ticket_key":"SUP-1234","subject":"Crawler stopped","hs_pipeline_stage":"1","hs_pipeline":"0"}}""",
            create.Body);
        Assert.Equal($"Bearer {HubSpotStub.DefaultAccessToken}", StubJson.Header(create, "Authorization"));
        var patch = Assert.Single(host.Server.ReceivedRequests(HubSpotStub.TicketPath(first.TicketId), "PATCH"));
        Assert.Contains("\"subject\":\"Crawler stopped again\"", patch.Body, StringComparison.Ordinal);
        Assert.Equal(new HubSpotTicketResult(first.TicketId, Created: true, MatchingTickets: 0), first);
        Assert.Equal(new HubSpotTicketResult(first.TicketId, Created: false, MatchingTickets: 1), second);
        var ticket = Assert.Single(stub.TicketsFor(TicketKey));
        Assert.Equal("Crawler stopped again", ticket.Properties["subject"]);
    }

    [Fact]
    public async Task A_retry_soon_after_an_unanswered_create_waits_for_the_search_index_instead_of_creating_a_duplicate()
    {
        stub.SearchLags = true;
        var input = new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Open");
        var first = await Run(a => a.UpsertTicketAsync(input));
        var recorded = Assert.IsType<HubSpotTicketCreateAttempt>(Assert.Single(Assert.Single(heartbeats)));
        Assert.Equal(new HubSpotTicketCreateAttempt(TicketKey, host.Time.GetUtcNow()), recorded);

        // The first attempt's answer was lost (say, a timeout): Temporal runs attempt 2 with its heartbeat.
        host.Time.Advance(TimeSpan.FromSeconds(5));
        await Failures.ExpectAsync(() => Run(a => a.UpsertTicketAsync(input), attempt: 2, heartbeat: recorded), "HubSpotSearchLag", retryable: true, TimeSpan.FromSeconds(25));
        Assert.Single(stub.TicketsFor(TicketKey));

        host.Time.Advance(TimeSpan.FromSeconds(25));
        stub.CatchUpSearchIndex();
        var third = await Run(a => a.UpsertTicketAsync(input), attempt: 3, heartbeat: recorded);

        Assert.Equal(new HubSpotTicketResult(first.TicketId, Created: false, MatchingTickets: 1), third);
        Assert.Single(stub.TicketsFor(TicketKey));
    }

    [Fact]
    public async Task A_409_on_create_takes_the_existing_ticket_named_in_the_message_and_updates_it()
    {
        stub.SearchLags = true;
        stub.TicketKeyIsUnique = true;
        var existing = await Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Open")));

        // A different workflow (no heartbeat of its own) upserts the same Jira ticket before search shows it.
        var result = await Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Done")));

        Assert.Equal(new HubSpotTicketResult(existing.TicketId, Created: false, MatchingTickets: 1), result);
        var ticket = Assert.Single(stub.TicketsFor(TicketKey));
        Assert.Equal(DoneStage, ticket.Properties["hs_pipeline_stage"]);
    }

    [Fact]
    public async Task Creating_a_ticket_without_a_jira_status_is_refused_after_the_search()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(TicketKey, "Crawler stopped"))), "HubSpotInvalidRequest", retryable: false);

        Assert.Contains(TicketKey, failure.Message, StringComparison.Ordinal);
        Assert.Empty(host.Server.ReceivedRequests(HubSpotStub.TicketsPath, "POST"));
    }

    [Fact]
    public async Task Move_ticket_to_stage_patches_the_mapped_stage_and_a_second_run_changes_nothing()
    {
        var id = stub.Ticket(new Dictionary<string, string> { ["jira_ticket_key"] = TicketKey, ["subject"] = "s", ["hs_pipeline"] = Pipeline, ["hs_pipeline_stage"] = OpenStage });

        var first = await Run(a => a.MoveTicketToStageAsync(TicketKey, "done"));
        var second = await Run(a => a.MoveTicketToStageAsync(TicketKey, "Done"));

        var patch = Assert.Single(host.Server.ReceivedRequests(HubSpotStub.TicketPath(id), "PATCH"));
        Assert.Equal("""{"properties":{"hs_pipeline_stage":"4","hs_pipeline":"0"}}""", patch.Body);
        Assert.Equal(new HubSpotStageChange(Found: true, id, DoneStage, Changed: true), first);
        Assert.Equal(new HubSpotStageChange(Found: true, id, DoneStage, Changed: false), second);
    }

    [Fact]
    public async Task An_unmapped_jira_status_fails_permanently_naming_the_status_and_the_setting()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.MoveTicketToStageAsync(TicketKey, "Waiting for customer")), "HubSpotStageNotMapped", retryable: false);

        Assert.Contains("'Waiting for customer'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Notifications:HubSpotStageByJiraStatus", failure.Message, StringComparison.Ordinal);
        Assert.Empty(host.Server.LogEntries);
    }

    [Fact]
    public async Task Moving_a_ticket_hubspot_does_not_have_reports_it_as_not_found()
    {
        var result = await Run(a => a.MoveTicketToStageAsync(TicketKey, "Open"));

        Assert.Equal(new HubSpotStageChange(Found: false, TicketId: null, OpenStage, Changed: false), result);
    }

    [Fact]
    public async Task Associate_puts_the_default_association_and_running_it_twice_keeps_one()
    {
        var contactId = stub.Contact(Email);
        var ticketId = stub.Ticket(new Dictionary<string, string> { ["jira_ticket_key"] = TicketKey, ["subject"] = "s", ["hs_pipeline_stage"] = OpenStage });

        var first = await Run(a => a.AssociateTicketWithContactAsync(ticketId, Email));
        await Run(a => a.AssociateTicketWithContactAsync(ticketId, Email));

        var put = host.Server.ReceivedRequests(HubSpotStub.AssociationPath(ticketId, contactId), "PUT");
        Assert.Equal(2, put.Count);
        Assert.Equal($"Bearer {HubSpotStub.DefaultAccessToken}", StubJson.Header(put[0], "Authorization"));
        Assert.Equal(new HubSpotAssociationResult(Associated: true, contactId), first);
        Assert.Equal([contactId], stub.ContactsAssociatedWith(ticketId));
    }

    [Fact]
    public async Task Associating_with_an_unknown_email_reports_it_without_writing()
    {
        var ticketId = stub.Ticket(new Dictionary<string, string> { ["jira_ticket_key"] = TicketKey });

        var result = await Run(a => a.AssociateTicketWithContactAsync(ticketId, Email));

        Assert.Equal(new HubSpotAssociationResult(Associated: false, ContactId: null), result);
        Assert.Empty(Requests("PUT"));
    }

    [Fact]
    public async Task A_wrong_token_is_a_permanent_failure_that_does_not_show_the_token()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.UpsertContactAsync(Email, new Dictionary<string, string>()), token: "pat-na1-wrong-secret"), "HubSpotUnauthorized", retryable: false);

        Assert.Contains("Authentication credentials not found", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pat-na1-wrong-secret", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FailureCase.Standard), MemberType = typeof(FailureCase))]
    public async Task Http_failures_map_to_temporal_failures(FailureCase failureCase)
    {
        ArgumentNullException.ThrowIfNull(failureCase);
        var (body, message) = Failures.ErrorBody("HubSpot", failureCase.Status);
        host.Server.FailNext(HubSpotStub.ContactsUpsertPath, failureCase.Status, body, failureCase.RetryAfterSeconds);

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.UpsertContactAsync(Email, new Dictionary<string, string>())),
            $"HubSpot{failureCase.Kind}",
            failureCase.Retryable,
            failureCase.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"upsert of contact {Email}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daily_limit_429_is_retried_at_midnight_in_the_account_time_zone()
    {
        // 10:15 UTC is 11:15 in Paris, so the next midnight there is 12 h 45 min away.
        host.Server.FailNext(HubSpotStub.ContactsUpsertPath, 429,
            """{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c-1","policyName":"DAILY"}""");

        await Failures.ExpectAsync(
            () => Run(a => a.UpsertContactAsync(Email, new Dictionary<string, string>()), timeZone: "Europe/Paris"),
            "HubSpotRateLimited",
            retryable: true,
            new TimeSpan(12, 45, 0));
    }

    [Fact]
    public async Task A_423_is_retried_after_at_least_two_seconds()
    {
        host.Server.FailNext(HubSpotStub.ContactsUpsertPath, 423, """{"status":"error","message":"Locked","category":"LOCKED"}""");

        await Failures.ExpectAsync(
            () => Run(a => a.UpsertContactAsync(Email, new Dictionary<string, string>())), "HubSpotLocked", retryable: true, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Associating_a_ticket_hubspot_does_not_have_is_a_permanent_failure()
    {
        var contactId = stub.Contact(Email);

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.AssociateTicketWithContactAsync("999999", Email)), "HubSpotBadRequest", retryable: false);

        Assert.Contains($"association of ticket 999999 with contact {contactId}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_is_retryable()
    {
        host.Server.StallNext(HubSpotStub.TicketSearchPath, TimeSpan.FromSeconds(2));

        await Failures.ExpectAsync(
            () => Run(a => a.MoveTicketToStageAsync(TicketKey, "Open"), timeoutSeconds: 1), "HubSpotTimeout", retryable: true);
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        await Failures.ExpectAsync(
            () => Run(a => a.MoveTicketToStageAsync(TicketKey, "Open"), baseUrl: StubServerExtensions.ClosedLoopbackUrl().ToString()),
            "HubSpotUnreachable",
            retryable: true);
    }

    private List<IRequestMessage> Requests(string method) =>
        [.. host.Server.LogEntries.Select(e => e.RequestMessage).Where(r => r.Method == method)];

    private async Task<T> Run<T>(
        Func<HubSpotActivities, Task<T>> activity,
        int attempt = 1,
        object? heartbeat = null,
        string token = HubSpotStub.DefaultAccessToken,
        string? baseUrl = null,
        string timeZone = "UTC",
        int timeoutSeconds = 10)
    {
        var services = host.Services(
            new Dictionary<string, string?>
            {
                ["HubSpot:BaseUrl"] = baseUrl ?? host.Url,
                ["HubSpot:AccessToken"] = token,
                ["HubSpot:AccountTimeZone"] = timeZone,
                ["HubSpot:TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
                ["Notifications:InternalDomains:0"] = "example.com",
                ["Notifications:LeadProjectKey"] = "MC",
                ["Notifications:IncidentProjectKey"] = "INC",
                ["Notifications:SupportProjectKey"] = "SUP",
                ["Notifications:HubSpotPipelineId"] = Pipeline,
                ["Notifications:HubSpotStageByJiraStatus:Open"] = OpenStage,
                ["Notifications:HubSpotStageByJiraStatus:Done"] = DoneStage,
            },
            (services, configuration) => services.AddHubSpot(configuration));
        var activities = services.GetRequiredService<HubSpotActivities>();
        var environment = new ActivityEnvironment
        {
            Info = ActivityEnvironment.DefaultInfo with
            {
                Attempt = attempt,
                HeartbeatDetails = heartbeat is null ? [] : [DataConverter.Default.PayloadConverter.ToPayload(heartbeat)],
            },
            Heartbeater = details => heartbeats.Add(details),
        };
        return await environment.RunAsync(() => activity(activities));
    }
}
