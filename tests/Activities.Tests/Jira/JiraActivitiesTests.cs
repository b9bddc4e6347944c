using System.Text.Json.Nodes;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace EventProcessor.Activities.Tests.Jira;

/// <summary>JiraActivities run in Temporal's ActivityEnvironment against the stateful Jira stub.</summary>
public sealed class JiraActivitiesTests : IAsyncLifetime
{
    private static readonly StubJiraUser Agent = new("557058:agent", "Ada Agent", "ada@example.com");
    private static readonly StubJiraUser Customer = new("557058:cust", "Carl Customer", "carl@customer.example");
    private static readonly StubJiraUser Hidden = new("557058:hidden", "Hidden Person");

    private WorkflowHarness harness = null!;
    private readonly ActivityEnvironment environment = new();

    private JiraActivities Activities => harness.Get<JiraActivities>();

    [Fact]
    public async Task GetLatestComment_returns_the_newest_comment_as_plain_text_with_its_author()
    {
        harness.Downstream.Jira.Comments(
            "SUP-1",
            new StubJiraComment("10001", Customer, "first", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)),
            new StubJiraComment("10003", Agent, "Fixed it.\n\nPlease retry the export.", new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero)),
            new StubJiraComment("10002", Customer, "second", new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero)));

        var latest = await environment.RunAsync(() => Activities.GetLatestCommentAsync("SUP-1"));

        Assert.Equal(
            new JiraLatestComment("10003", new JiraPerson("557058:agent", "Ada Agent", "ada@example.com"), "Fixed it.\n\nPlease retry the export.", new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero), IsPublic: true),
            latest);
        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-1")));
        Assert.Equal("1", Json.QueryOf(request)["maxResults"]);
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(true, "Administrators", false)]
    [InlineData(true, null, true)]
    public async Task GetLatestComment_tells_internal_notes_and_restricted_comments_from_public_ones(bool jsdPublic, string? role, bool expectedPublic)
    {
        harness.Downstream.Jira.LatestComment("SUP-2", new StubJiraComment("10010", Hidden, "note", TestTimes.Now, jsdPublic, VisibilityRole: role));

        var latest = await environment.RunAsync(() => Activities.GetLatestCommentAsync("SUP-2"));

        Assert.Equal(expectedPublic, latest!.IsPublic);
        Assert.Null(latest.Author.Email);
    }

    [Fact]
    public async Task GetLatestComment_reads_the_comment_properties_to_recognise_a_comment_this_processor_wrote()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-5", "Reply")).JsmRequest("SUP-5");
        await environment.RunAsync(() => Activities.AddCommentOnceAsync(new JiraCommentRequest("SUP-5", "evt-reply-1", "Thanks!", Internal: true, new JiraOnBehalfOf("Maria", "maria@customer.example"))));

        var latest = await environment.RunAsync(() => Activities.GetLatestCommentAsync("SUP-5"));

        Assert.Equal("evt-reply-1", latest!.WrittenForEventId);
        Assert.False(latest.IsPublic);
        var propertyReads = harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentListPath);
        Assert.Contains(propertyReads, r => r.Body!.Contains(latest.Id, StringComparison.Ordinal) && Json.QueryOf(r)["expand"] == "properties");
    }

    [Fact]
    public async Task GetLatestComment_of_a_person_carries_no_processor_marker()
    {
        harness.Downstream.Jira.LatestComment("SUP-6", new StubJiraComment("10020", Customer, "hello", TestTimes.Now));

        var latest = await environment.RunAsync(() => Activities.GetLatestCommentAsync("SUP-6"));

        Assert.Null(latest!.WrittenForEventId);
    }

    [Fact]
    public async Task GetLatestComment_of_a_ticket_without_comments_is_null()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-3", "Quiet"));

        Assert.Null(await environment.RunAsync(() => Activities.GetLatestCommentAsync("SUP-3")));
    }

    [Fact]
    public async Task GetTicketPeople_reads_watchers_and_every_page_of_participants_keeping_people_without_email()
    {
        var participants = Enumerable.Range(1, 120)
            .Select(i => new StubJiraUser($"557058:p{i}", $"Participant {i}", i % 40 == 0 ? null : $"p{i}@customer.example"))
            .ToArray();
        harness.Downstream.Jira.Watchers("SUP-4", Agent, Hidden).Participants("SUP-4", participants);

        var people = await environment.RunAsync(() => Activities.GetTicketPeopleAsync("SUP-4"));

        Assert.Equal([new JiraPerson("557058:agent", "Ada Agent", "ada@example.com"), new JiraPerson("557058:hidden", "Hidden Person", null)], people.Watchers);
        Assert.Equal(participants.Select(p => p.AccountId), people.Participants.Select(p => p.AccountId));
        Assert.Equal(3, people.Participants.Count(p => p.Email is null));
        var pages = harness.Downstream.JiraServer.ReceivedRequests(JiraStub.ParticipantsPath("SUP-4"));
        Assert.Equal(["0", "50", "100"], pages.Select(r => Json.QueryOf(r)["start"]));
        Assert.All(pages, r => Assert.Equal("50", Json.QueryOf(r)["limit"]));
        Assert.Equal(122, people.Everyone().Count);
    }

    [Fact]
    public async Task GetTicketPeople_of_a_ticket_that_is_not_a_JSM_request_has_no_participants()
    {
        harness.Downstream.Jira.Watchers("DEV-1", Agent);

        var people = await environment.RunAsync(() => Activities.GetTicketPeopleAsync("DEV-1"));

        Assert.Single(people.Watchers);
        Assert.Empty(people.Participants);
    }

    [Fact]
    public async Task GetTicketPeople_with_an_unreadable_participants_page_fails_instead_of_reporting_none()
    {
        harness.Downstream.Jira.Watchers("SUP-14", Agent);
        harness.Downstream.JiraServer.Given(WireMock.RequestBuilders.Request.Create().WithPath(JiraStub.ParticipantsPath("SUP-14")).UsingGet())
            .AtPriority(-1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody("<html>maintenance</html>"));

        await Assert.ThrowsAnyAsync<Exception>(() => environment.RunAsync(() => Activities.GetTicketPeopleAsync("SUP-14")));
    }

    [Fact]
    public async Task GetTicketPeople_of_a_missing_ticket_fails_permanently()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.GetTicketPeopleAsync("SUP-404")));

        Assert.True(failure.NonRetryable);
        Assert.Equal("JiraNotFound", failure.ErrorType);
        Assert.Contains("fetch watchers of SUP-404", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCommentOnce_run_twice_adds_one_comment_marked_with_the_event_id()
    {
        harness.Downstream.Jira.Comments("SUP-5", new StubJiraComment("10001", Customer, "Any news?", TestTimes.Now.AddHours(-1)));
        var request = new JiraCommentRequest("SUP-5", "evt-42", "Thanks, looking into it.", Internal: false, new JiraOnBehalfOf("Carl Customer", "carl@customer.example"));

        var first = await environment.RunAsync(() => Activities.AddCommentOnceAsync(request));
        var second = await environment.RunAsync(() => Activities.AddCommentOnceAsync(request));

        var comments = harness.Downstream.Jira.CommentsOf("SUP-5");
        Assert.Equal(2, comments.Count);
        var added = comments[1];
        Assert.Equal(new JiraCommentResult(added.Id, AlreadyExisted: false), first);
        Assert.Equal(new JiraCommentResult(added.Id, AlreadyExisted: true), second);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-5"), "POST"));
        Assert.Equal("On behalf of Carl Customer <carl@customer.example>\n\nThanks, looking into it.", added.Text);
        Assert.True(added.JsdPublic);
        Assert.Equal("""{"eventId":"evt-42"}""", added.Properties![JiraActivities.EventMarkerKey]!.ToJsonString());
        Assert.False(added.Properties.ContainsKey(JiraActivities.JsmVisibilityKey));
    }

    [Fact]
    public async Task AddCommentOnce_looks_for_the_marker_through_comment_list_with_properties()
    {
        harness.Downstream.Jira.Comments(
            "SUP-6",
            new StubJiraComment("10001", Customer, "hello", TestTimes.Now.AddHours(-2)),
            new StubJiraComment("10002", harness.Downstream.Jira.ApiAccount, "written by the first attempt", TestTimes.Now.AddHours(-1),
                Properties: new Dictionary<string, JsonNode?> { [JiraActivities.EventMarkerKey] = new JsonObject { ["eventId"] = "evt-6" } }));

        var result = await environment.RunAsync(() =>
            Activities.AddCommentOnceAsync(new JiraCommentRequest("SUP-6", "evt-6", "written by the first attempt", Internal: false)));

        Assert.Equal(new JiraCommentResult("10002", AlreadyExisted: true), result);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-6"), "POST"));
        var lookup = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentListPath, "POST"));
        Json.Equal("""{"ids":[10002,10001]}""", lookup.Body);
        var recent = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-6"), "GET"));
        Assert.Equal(new Dictionary<string, string> { ["orderBy"] = "-created", ["maxResults"] = "50" }, Json.QueryOf(recent));
    }

    [Fact]
    public async Task AddCommentOnce_ignores_markers_of_other_events()
    {
        harness.Downstream.Jira.Comments("SUP-7", new StubJiraComment("10001", harness.Downstream.Jira.ApiAccount, "other", TestTimes.Now,
            Properties: new Dictionary<string, JsonNode?> { [JiraActivities.EventMarkerKey] = new JsonObject { ["eventId"] = "evt-other" } }));

        var result = await environment.RunAsync(() =>
            Activities.AddCommentOnceAsync(new JiraCommentRequest("SUP-7", "evt-7", "mine", Internal: false)));

        Assert.False(result.AlreadyExisted);
        Assert.Equal(2, harness.Downstream.Jira.CommentsOf("SUP-7").Count);
    }

    /// <summary>
    /// Internal notes go through JSM's documented add-comment operation
    /// (<c>POST /rest/servicedeskapi/request/{issueIdOrKey}/comment</c>, body text and <c>public: false</c>),
    /// the marker through the comment property operation (<c>PUT /rest/api/3/comment/{commentId}/properties/{propertyKey}</c>),
    /// then the note is read back (<c>POST /rest/api/3/comment/list?expand=properties</c>) for its <c>jsdPublic</c>.
    /// </summary>
    [Fact]
    public async Task AddCommentOnce_writes_an_internal_note_through_JSM_marks_it_and_checks_it_is_not_public()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-8", "x")).JsmRequest("SUP-8");

        var result = await environment.RunAsync(() =>
            Activities.AddCommentOnceAsync(new JiraCommentRequest("SUP-8", "evt-8", "Internal reply", Internal: true, new JiraOnBehalfOf(null, "ops@example.com"))));

        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-8"), "POST"));
        var post = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.JsmCommentsPath("SUP-8"), "POST"));
        Json.Equal("""{"body":"On behalf of <ops@example.com>\n\nInternal reply","public":false}""", post.Body);
        var mark = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentPropertyPath(result.CommentId, JiraActivities.EventMarkerKey), "PUT"));
        Json.Equal("""{"eventId":"evt-8"}""", mark.Body);
        var note = Assert.Single(harness.Downstream.Jira.CommentsOf("SUP-8"));
        Assert.False(note.JsdPublic);
        Assert.Equal("""{"eventId":"evt-8"}""", note.Properties![JiraActivities.EventMarkerKey]!.ToJsonString());
        Assert.False(note.Properties.ContainsKey(JiraActivities.JsmVisibilityKey));
        Assert.Equal(new JiraCommentResult(note.Id, AlreadyExisted: false), result);
        Assert.Contains(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentListPath), r => r.Body!.Contains(note.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCommentOnce_after_a_write_that_timed_out_finds_the_comment_instead_of_writing_again()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-9", "x"));
        var request = new JiraCommentRequest("SUP-9", "evt-9", "Reply", Internal: false);
        await using var slow = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Jira:BaseUrl"] = harness.Downstream.JiraServer.Url, ["Jira:TimeoutSeconds"] = "1" });
        harness.Downstream.JiraServer.Given(WireMock.RequestBuilders.Request.Create().WithPath(JiraStub.CommentsPath("SUP-9")).UsingPost())
            .AtPriority(-1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async _ =>
            {
                // The write lands in Jira at once, but the answer comes after the caller gave up.
                harness.Downstream.Jira.Comments("SUP-9", new StubJiraComment("10777", harness.Downstream.Jira.ApiAccount, "Reply", TestTimes.Now,
                    Properties: new Dictionary<string, JsonNode?> { [JiraActivities.EventMarkerKey] = new JsonObject { ["eventId"] = "evt-9" } }));
                await Task.Delay(TimeSpan.FromSeconds(3));
                return StubJson.Response(201, new JsonObject { ["id"] = "10777" });
            }));

        var timeout = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            environment.RunAsync(() => slow.Get<JiraActivities>().AddCommentOnceAsync(request)));
        var retry = await new ActivityEnvironment { Info = environment.Info with { Attempt = 2 } }.RunAsync(() => Activities.AddCommentOnceAsync(request));

        Assert.Equal("JiraTimeout", timeout.ErrorType);
        Assert.Equal(new JiraCommentResult("10777", AlreadyExisted: true), retry);
        Assert.Single(harness.Downstream.Jira.CommentsOf("SUP-9"));
    }

    [Fact]
    public async Task GetIssue_returns_summary_status_priority_reporter_and_browse_link()
    {
        var reporter = new StubJiraUser("557058:r", "Rita Reporter", "rita@customer.example");
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-10", "Export fails", "Waiting for support", "High", reporter, Created: new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero)));

        var issue = await environment.RunAsync(() => Activities.GetIssueAsync("SUP-10"));

        Assert.Equal("SUP-10", issue.Key);
        Assert.Equal("Export fails", issue.Summary);
        Assert.Equal("Waiting for support", issue.Status);
        Assert.Equal("High", issue.Priority);
        Assert.Equal("rita@customer.example", issue.ReporterEmail);
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero), issue.Created);
        Assert.Equal($"{harness.Downstream.JiraServer.Url}/browse/SUP-10", issue.BrowseUrl);
        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath("SUP-10"), "GET"));
        Assert.Equal(new Dictionary<string, string> { ["expand"] = "names", ["fields"] = "summary,status,priority,reporter,labels,created,updated" }, Json.QueryOf(request));
    }

    [Fact]
    public async Task GetIssue_with_a_reporter_hiding_their_email_has_no_reporter_email()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-11", "x", Reporter: Hidden));

        var issue = await environment.RunAsync(() => Activities.GetIssueAsync("SUP-11"));

        Assert.Equal(new JiraPerson("557058:hidden", "Hidden Person", null), issue.Reporter);
        Assert.Null(issue.ReporterEmail);
    }

    [Fact]
    public async Task UpdateIssueFields_puts_the_fields_and_repeating_it_leaves_the_same_values()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-12", "x"));
        var fields = new Dictionary<string, string?> { ["customfield_10042"] = "6f1c…-uuid", ["customfield_10043"] = "Acme" };

        await environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-12", fields));
        await environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-12", fields));

        var puts = harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath("SUP-12"), "PUT");
        Assert.Equal(2, puts.Count);
        Json.Equal("""{"fields":{"customfield_10042":"6f1c…-uuid","customfield_10043":"Acme"}}""", puts[0].Body);
        var stored = harness.Downstream.Jira.IssueOf("SUP-12")!.Fields!;
        Assert.Equal("Acme", stored["customfield_10043"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateIssueFields_with_nothing_to_set_calls_nothing()
    {
        await environment.RunAsync(() => Activities.UpdateIssueFieldsAsync("SUP-13", new Dictionary<string, string?>()));

        Assert.Empty(harness.Downstream.JiraServer.LogEntries);
    }

    [Fact]
    public async Task CreateIssueOnce_run_twice_creates_one_issue_with_the_label()
    {
        var request = new JiraIssueRequest("MC", "Task", "Meeting: Ana Lima (Acme)", "Scheduled 2026-12-01 14:00 UTC\nNotes: wants a demo", "meeting-m-77");

        var first = await environment.RunAsync(() => Activities.CreateIssueOnceAsync(request));
        var second = await environment.RunAsync(() => Activities.CreateIssueOnceAsync(request));

        var created = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(new JiraIssueResult(created.Key, $"{harness.Downstream.JiraServer.Url}/browse/{created.Key}", AlreadyExisted: false), first);
        Assert.Equal(first with { AlreadyExisted = true }, second);
        Assert.Equal(["meeting-m-77"], created.Labels);
        Assert.Equal("Meeting: Ana Lima (Acme)", created.Summary);
        var searches = harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath);
        Assert.Equal(2, searches.Count);
        Assert.Equal("project = \"MC\" AND labels = \"meeting-m-77\" ORDER BY created ASC", Json.QueryOf(searches[0])["jql"]);
        var post = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Json.Equal(
            """
            {"fields":{"project":{"key":"MC"},"issuetype":{"name":"Task"},"summary":"Meeting: Ana Lima (Acme)",
             "description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[
                {"type":"text","text":"Scheduled 2026-12-01 14:00 UTC"},{"type":"hardBreak"},{"type":"text","text":"Notes: wants a demo"}]}]},
             "labels":["meeting-m-77"]}}
            """,
            post.Body);
    }

    [Fact]
    public async Task CreateIssueOnce_finds_an_issue_created_earlier_with_the_label()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("INC-4", "Crawler down", Labels: ["incident-i-1"]));

        var result = await environment.RunAsync(() =>
            Activities.CreateIssueOnceAsync(new JiraIssueRequest("INC", "Task", "Crawler down", "details", "incident-i-1")));

        Assert.Equal(new JiraIssueResult("INC-4", $"{harness.Downstream.JiraServer.Url}/browse/INC-4", AlreadyExisted: true), result);
        Assert.Empty(harness.Downstream.Jira.CreatedIssues());
    }

    [Fact]
    public async Task CreateIssueOnce_escapes_quotes_in_the_label_for_JQL()
    {
        await environment.RunAsync(() =>
            Activities.CreateIssueOnceAsync(new JiraIssueRequest("MC", "Task", "s", "d", "contact-\"x\"")));

        var search = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath));
        Assert.Equal("project = \"MC\" AND labels = \"contact-\\\"x\\\"\" ORDER BY created ASC", Json.QueryOf(search)["jql"]);
    }

    [Fact]
    public async Task CreateIssueOnce_rate_limited_fails_retryably_with_Jiras_delay_and_creates_nothing()
    {
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 429, retryAfterSeconds: 7);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() =>
            Activities.CreateIssueOnceAsync(new JiraIssueRequest("MC", "Task", "s", "d", "meeting-1"))));

        Assert.False(failure.NonRetryable);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.NextRetryDelay);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
    }

    public async Task InitializeAsync() => harness = await WorkflowHarness.StartWithoutWorkerAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();
}
