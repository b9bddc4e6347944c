using System.Globalization;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Activities.Integrations.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Converters;
using Temporalio.Testing;
using WireMock.Server;
using WireMock;

namespace EventProcessor.Activities.Integrations.Tests;

public sealed class HubSpotActivitiesTests : IDisposable
{
    private const string Email = "ada@customer.example";
    private const string TicketKey = "SUP-1234";
    private const string Pipeline = "0";
    private const string OpenStage = "1";
    private const string DoneStage = "4";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero));
    private readonly ServiceHarness product;
    private readonly HubSpotStub stub;
    private readonly List<object?[]> heartbeats = [];

    public HubSpotActivitiesTests()
    {
        product = new ServiceHarness(time, (services, configuration) => services.AddHubSpot(configuration));
        stub = new HubSpotStub(server);
    }

    public void Dispose()
    {
        product.Dispose();
        server.Stop();
        server.Dispose();
    }

    [Fact]
    public async Task Upsert_contact_sends_a_batch_upsert_keyed_by_email_and_running_it_twice_keeps_one_contact()
    {
        var properties = new Dictionary<string, string> { ["firstname"] = "Ada", ["company"] = "Analytical Engines" };

        var first = await Run(a => a.UpsertContactAsync(Email, properties));
        var second = await Run(a => a.UpsertContactAsync(Email, properties));

        var requests = server.ReceivedRequests(HubSpotStub.ContactsUpsertPath, "POST");
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
        var patch = Assert.Single(server.ReceivedRequests(HubSpotStub.ContactPath(id), "PATCH"));
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

    /// <summary>
    /// HubSpot's "Create or update a batch of tickets by unique property values"
    /// (<c>POST /crm/v3/objects/tickets/batch/upsert</c>): <c>idProperty</c> names "a property whose
    /// values are unique for the object", here <c>jira_ticket_key</c>. No search is involved.
    /// </summary>
    [Fact]
    public async Task Upsert_ticket_sends_a_batch_upsert_keyed_by_jira_ticket_key_and_running_it_twice_keeps_one_ticket()
    {
        var input = new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Open", new Dictionary<string, string> { ["hs_ticket_priority"] = "HIGH" });

        var first = await Run(a => a.UpsertTicketAsync(input));
        var second = await Run(a => a.UpsertTicketAsync(input with { Subject = "Crawler stopped again" }));

        var upserts = server.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST");
        Assert.Equal(2, upserts.Count);
        Assert.Equal(
            """{"inputs":[{"id":"SUP-1234","idProperty":"jira_ticket_key","properties":{"hs_ticket_priority":"HIGH","jira_ticket_key":"SUP-1234","subject":"Crawler stopped","hs_pipeline_stage":"1","hs_pipeline":"0"}}]}""",
            upserts[0].Body);
        Assert.Equal($"Bearer {HubSpotStub.DefaultAccessToken}", StubJson.Header(upserts[0], "Authorization"));
        Assert.Empty(server.ReceivedRequests(HubSpotStub.TicketSearchPath));
        Assert.Empty(server.ReceivedRequests(HubSpotStub.TicketsPath, "POST"));
        Assert.Equal(new HubSpotTicketResult(first.TicketId, Created: true, MatchingTickets: 1), first);
        Assert.Equal(new HubSpotTicketResult(first.TicketId, Created: false, MatchingTickets: 1), second);
        var ticket = Assert.Single(stub.TicketsFor(TicketKey));
        Assert.Equal("Crawler stopped again", ticket.Properties["subject"]);
    }

    /// <summary>
    /// Another writer created the ticket a moment before: HubSpot reports a unique-value conflict as
    /// 400 <c>VALIDATION_ERROR</c> naming the property and no record id (its documented "Existing ID"
    /// 409 is for contact emails only). The ticket is read by the key and updated, never failed.
    /// </summary>
    [Fact]
    public async Task A_unique_value_conflict_reads_the_ticket_by_its_key_and_updates_it_instead_of_failing()
    {
        stub.RaceNextUpsert();

        var result = await Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Done")));

        var ticket = Assert.Single(stub.TicketsFor(TicketKey));
        Assert.Equal(new HubSpotTicketResult(ticket.Id, Created: false, MatchingTickets: 1), result);
        Assert.Equal(DoneStage, ticket.Properties["hs_pipeline_stage"]);
        var read = Assert.Single(Requests("GET"));
        Assert.Equal(HubSpotStub.TicketPath(TicketKey), read.Path);
        Assert.Equal(HubSpotActivities.JiraTicketKeyProperty, StubJson.Query(read, "idProperty"));
        Assert.Single(server.ReceivedRequests(HubSpotStub.TicketPath(ticket.Id), "PATCH"));
    }

    [Fact]
    public async Task A_conflict_answer_is_recognised_in_every_documented_shape_and_other_validation_errors_are_not()
    {
        Assert.True(HubSpotActivities.IsConflict(new HubSpotError(Message: "Contact already exists. Existing ID: 51001", Category: "CONFLICT"), "email"));
        Assert.True(HubSpotActivities.IsConflict(new HubSpotError(Message: "Contact already exists", Category: "OBJECT_ALREADY_EXISTS"), "email"));
        Assert.True(HubSpotActivities.IsConflict(
            new HubSpotError(Message: """Property values were not valid: [{"isValid":false,"message":"SUP-1 already has that value on another object","error":"INVALID_PROPERTY_VALUE_UNIQUE","name":"jira_ticket_key"}]""", Category: "VALIDATION_ERROR"),
            "jira_ticket_key"));
        Assert.False(HubSpotActivities.IsConflict(
            new HubSpotError(Message: """Property values were not valid: [{"isValid":false,"message":"Email address x is invalid","error":"INVALID_EMAIL","name":"email"}]""", Category: "VALIDATION_ERROR"),
            "email"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Upserting_by_a_property_that_is_not_unique_value_fails_permanently_saying_what_to_set_up()
    {
        stub.TicketKeyIsUnique = false;

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(TicketKey, "Crawler stopped", "Open"))), "HubSpotBadRequest", retryable: false);

        Assert.Contains("unique-value property", failure.Message, StringComparison.Ordinal);
        Assert.Contains(HubSpotActivities.JiraTicketKeyProperty, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>HubSpot documents a duplicate contact email as 409 "Contact already exists. Existing ID: N": read by email and update.</summary>
    [Fact]
    public async Task A_contact_created_by_another_writer_meanwhile_is_read_by_email_and_updated()
    {
        stub.RaceNextUpsert();

        var result = await Run(a => a.UpsertContactAsync(Email, new Dictionary<string, string> { ["firstname"] = "Ada" }));

        var contact = Assert.Single(stub.Contacts());
        Assert.Equal(new HubSpotContactResult(contact.Id, Created: false), result);
        Assert.Equal("Ada", contact.Properties["firstname"]);
        Assert.Single(server.ReceivedRequests(HubSpotStub.ContactPath(contact.Id), "PATCH"));
    }

    /// <summary>
    /// HubSpot at its worst that the writes must survive: search lagging 20 s and 40% of writes applied but
    /// answered 502 (a seeded draw): every ticket and contact exists once, and every call completes.
    /// </summary>
    [Fact]
    public async Task With_search_lagging_and_40_percent_of_writes_lost_every_ticket_and_contact_exists_once()
    {
        stub.SearchLag = TimeSpan.FromSeconds(20);
        var faults = StubWriteFaults.Share(0.4, seed: 23);
        stub.WriteFaults = faults;

        for (var i = 0; i < 8; i++)
        {
            var key = $"SUP-{100 + i}";
            var email = $"person{i}@customer.example";
            await UntilDone(() => Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(key, $"Ticket {i}", i % 2 == 0 ? "Open" : "Done"))));
            await UntilDone(() => Run(a => a.UpsertContactAsync(email, new Dictionary<string, string> { ["firstname"] = $"P{i}" })));
        }

        Assert.All(Enumerable.Range(0, 8), i => Assert.Single(stub.TicketsFor($"SUP-{100 + i}")));
        Assert.Equal(8, stub.Contacts().Count);
        Assert.Equal(8, stub.Contacts().Select(c => c.Properties["email"]).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.InRange(faults.Faulted, 3, faults.Writes);
    }

    /// <summary>Runs a call as Temporal retries it: again after every retryable failure.</summary>
    private static async Task UntilDone<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Temporalio.Exceptions.ApplicationFailureException e) when (!e.NonRetryable && attempt < 20)
            {
                // Retried, like Temporal would.
            }
        }
    }

    [Fact]
    public async Task Creating_a_ticket_without_a_jira_status_is_refused_after_reading_it_by_its_key()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.UpsertTicketAsync(new HubSpotTicketUpsert(TicketKey, "Crawler stopped"))), "HubSpotInvalidRequest", retryable: false);

        Assert.Contains(TicketKey, failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.ReceivedRequests(HubSpotStub.TicketsUpsertPath, "POST"));
    }

    [Fact]
    public async Task Move_ticket_to_stage_patches_the_mapped_stage_and_a_second_run_changes_nothing()
    {
        var id = stub.Ticket(new Dictionary<string, string> { ["jira_ticket_key"] = TicketKey, ["subject"] = "s", ["hs_pipeline"] = Pipeline, ["hs_pipeline_stage"] = OpenStage });

        var first = await Run(a => a.MoveTicketToStageAsync(TicketKey, "done"));
        var second = await Run(a => a.MoveTicketToStageAsync(TicketKey, "Done"));

        var patch = Assert.Single(server.ReceivedRequests(HubSpotStub.TicketPath(id), "PATCH"));
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
        Assert.Empty(server.LogEntries);
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

        var put = server.ReceivedRequests(HubSpotStub.AssociationPath(ticketId, contactId), "PUT");
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
        server.FailNext(HubSpotStub.ContactsUpsertPath, failureCase.Status, body, failureCase.RetryAfterSeconds);
        if (failureCase.Status == 409)
        {
            // A 409 to an upsert means the contact exists: it is read back and updated, never a permanent
            // failure; here nothing has the email yet (the 409 was injected), so Temporal retries.
            var conflict = await Failures.ExpectAsync(() => Run(a => a.UpsertContactAsync(Email, new Dictionary<string, string>())), "HubSpotConflict", retryable: true);
            Assert.Contains(Email, conflict.Message, StringComparison.Ordinal);
            return;
        }

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
        server.FailNext(HubSpotStub.ContactsUpsertPath, 429,
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
        server.FailNext(HubSpotStub.ContactsUpsertPath, 423, """{"status":"error","message":"Locked","category":"LOCKED"}""");

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
        server.StallNext(HubSpotStub.TicketPath(TicketKey), TimeSpan.FromSeconds(2), method: "GET");

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
        [.. server.LogEntries.Select(e => e.RequestMessage).Where(r => r.Method == method)];

    private async Task<T> Run<T>(
        Func<HubSpotActivities, Task<T>> activity,
        int attempt = 1,
        object? heartbeat = null,
        string token = HubSpotStub.DefaultAccessToken,
        string? baseUrl = null,
        string timeZone = "UTC",
        int timeoutSeconds = 10)
    {
        var services = product.Build(
            new Dictionary<string, string?>
            {
                ["HubSpot:BaseUrl"] = baseUrl ?? server.Url,
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
            });
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
