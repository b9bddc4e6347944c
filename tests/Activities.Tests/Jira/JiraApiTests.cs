using System.Text;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Exceptions;
using WireMock.Server;

namespace EventProcessor.Activities.Tests.Jira;

/// <summary>Each Jira platform and JSM call: the exact request sent and the parsed answer.</summary>
public sealed class JiraApiTests : IAsyncLifetime
{
    private static readonly string BasicAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{JiraStub.DefaultEmail}:{JiraStub.DefaultApiToken}"));

    private static readonly StubJiraUser Agent = new("557058:agent", "Ada Agent", "ada@example.com");
    private static readonly StubJiraUser Hidden = new("557058:hidden", "Hidden Person");

    private WorkflowHarness harness = null!;

    private IJiraApi Jira => harness.Get<IJiraApi>();

    private IJsmApi Jsm => harness.Get<IJsmApi>();

    [Fact]
    public async Task Comments_newest_first_sends_orderBy_and_maxResults_and_parses_Jira_dates_and_hidden_emails()
    {
        harness.Downstream.Jira.Comments(
            "SUP-1",
            new StubJiraComment("10001", Agent, "older", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)),
            new StubJiraComment("10002", Hidden, "newer\n\nsecond paragraph", new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero), JsdPublic: false));

        var page = await Jira.GetCommentsNewestFirstAsync("SUP-1", 1, "fetch the latest comment of SUP-1");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-1"), "GET"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["orderBy"] = "-created", ["maxResults"] = "1" }, Json.QueryOf(request));
        Assert.Equal(2, page.Total);
        var comment = Assert.Single(page.Comments);
        Assert.Equal("10002", comment.Id);
        Assert.Equal(new JiraUser("557058:hidden", "Hidden Person", null, true), comment.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero), comment.Created);
        Assert.False(comment.JsdPublic);
        Assert.Equal("newer\n\nsecond paragraph", Adf.ToPlainText(comment.Body));
    }

    [Fact]
    public async Task Comment_list_posts_the_ids_and_expands_properties()
    {
        harness.Downstream.Jira.Comments("SUP-2", new StubJiraComment(
            "10010", Agent, "hi", TestTimes.Now,
            Properties: new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["eventprocessor.event"] = new System.Text.Json.Nodes.JsonObject { ["eventId"] = "evt-1" } }));

        var page = await Jira.GetCommentsWithPropertiesAsync(new JiraCommentIds([10010, 99999]), "read comment properties of SUP-2");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentListPath, "POST"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["expand"] = "properties" }, Json.QueryOf(request));
        Json.Equal("""{"ids":[10010,99999]}""", request.Body);
        var comment = Assert.Single(page.Values);
        var property = Assert.Single(comment.Properties!);
        Assert.Equal("eventprocessor.event", property.Key);
        Assert.Equal("evt-1", property.Value.GetProperty("eventId").GetString());
        Assert.True(page.IsLast);
    }

    [Fact]
    public async Task Watchers_are_parsed_with_optional_emails()
    {
        harness.Downstream.Jira.Watchers("SUP-3", Agent, Hidden);

        var watchers = await Jira.GetWatchersAsync("SUP-3", "fetch watchers of SUP-3");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.WatchersPath("SUP-3"), "GET"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.Empty(Json.QueryOf(request));
        Assert.Equal(2, watchers.WatchCount);
        Assert.Equal(["ada@example.com", null], watchers.Watchers.Select(w => w.EmailAddress));
        Assert.Equal(["557058:agent", "557058:hidden"], watchers.Watchers.Select(w => w.AccountId));
    }

    [Fact]
    public async Task Participants_send_start_and_limit_and_parse_the_JSM_page()
    {
        harness.Downstream.Jira.Participants("SUP-4", Agent, Hidden, new StubJiraUser("557058:c", "Carol Customer", "carol@customer.example"));

        using var response = await Jsm.GetParticipantsAsync("SUP-4", 1, 1, [404], "fetch request participants of SUP-4");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.ParticipantsPath("SUP-4"), "GET"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["start"] = "1", ["limit"] = "1" }, Json.QueryOf(request));
        var page = response.Content!;
        Assert.Equal((1, 1, 1, false), (page.Size, page.Start, page.Limit, page.IsLastPage));
        Assert.Equal(new JiraUser("557058:hidden", "Hidden Person", null, true), Assert.Single(page.Values));
    }

    [Fact]
    public async Task Add_comment_posts_an_ADF_body_with_properties_and_parses_the_201()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-5", "Broken export"));
        var comment = new JiraNewComment(
            Adf.FromPlainText("Hello\nthere"),
            [new JiraNewEntityProperty("eventprocessor.event", new { eventId = "evt-5" }), new JiraNewEntityProperty("sd.public.comment", new { @internal = true })]);

        var created = await Jira.AddCommentAsync("SUP-5", comment, "add a comment to SUP-5");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-5"), "POST"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.StartsWith("application/json", Json.Header(request, "Content-Type"), StringComparison.Ordinal);
        Json.Equal(
            """
            {"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Hello"},{"type":"hardBreak"},{"type":"text","text":"there"}]}]},
             "properties":[{"key":"eventprocessor.event","value":{"eventId":"evt-5"}},{"key":"sd.public.comment","value":{"internal":true}}]}
            """,
            request.Body);
        Assert.Equal(harness.Downstream.Jira.CommentsOf("SUP-5").Single().Id, created.Id);
        Assert.Equal(JiraStub.DefaultEmail, created.Author!.EmailAddress);
        Assert.False(created.JsdPublic);
    }

    [Fact]
    public async Task Create_issue_posts_the_fields_and_parses_id_key_and_self()
    {
        var issue = new JiraNewIssue(new JiraNewIssueFields(
            new JiraProjectRef("MC"), new JiraIssueTypeRef("Task"), "Meeting with Ana", Adf.FromPlainText("Notes"), ["meeting-42"]));

        var created = await Jira.CreateIssueAsync(issue, "create the meeting-42 issue in MC");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Json.Equal(
            """
            {"fields":{"project":{"key":"MC"},"issuetype":{"name":"Task"},"summary":"Meeting with Ana",
             "description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Notes"}]}]},
             "labels":["meeting-42"]}}
            """,
            request.Body);
        Assert.Equal("MC-1", created.Key);
        Assert.Equal($"{harness.Downstream.JiraServer.Url}/rest/api/3/issue/{created.Id}", created.Self);
        Assert.Equal(201, harness.Downstream.JiraServer.LogEntries.Single(e => e.RequestMessage.Path == JiraStub.CreateIssuePath).ResponseMessage.StatusCode);
    }

    [Fact]
    public async Task Edit_issue_puts_the_fields_and_accepts_204()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-6", "Slow crawl"));

        await Jira.EditIssueAsync("SUP-6", new JiraIssueUpdate(new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["customfield_10042"] = "p-1", ["customfield_10043"] = null }), "update SUP-6");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath("SUP-6"), "PUT"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Json.Equal("""{"fields":{"customfield_10042":"p-1","customfield_10043":null}}""", request.Body);
        Assert.Equal("p-1", harness.Downstream.Jira.IssueOf("SUP-6")!.Fields!["customfield_10042"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_issue_asks_for_fields_and_names_and_parses_them()
    {
        var reporter = new StubJiraUser("557058:r", "Rita Reporter", "rita@customer.example");
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-7", "Export fails", "In Progress", "High", reporter,
            Fields: new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["customfield_10042"] = "p-7" }));

        var issue = await Jira.GetIssueAsync("SUP-7", "summary,status,priority,reporter,customfield_10042", "fetch ticket SUP-7");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.IssuePath("SUP-7"), "GET"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["expand"] = "names", ["fields"] = "summary,status,priority,reporter,customfield_10042" }, Json.QueryOf(request));
        Assert.Equal("SUP-7", issue.Key);
        Assert.Equal("Export fails", issue.Fields.Summary);
        Assert.Equal("In Progress", issue.Fields.Status?.Name);
        Assert.Equal("High", issue.Fields.Priority?.Name);
        Assert.Equal("rita@customer.example", issue.Fields.Reporter?.EmailAddress);
        Assert.Equal("p-7", issue.Fields.Other!["customfield_10042"].GetString());
        Assert.Equal("Summary", issue.Names!["summary"]);
        Assert.Null(issue.Fields.Created);
    }

    [Fact]
    public async Task Search_sends_the_jql_fields_and_maxResults()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("MC-9", "Meeting", Labels: ["meeting-9"]));
        const string jql = "project = \"MC\" AND labels = \"meeting-9\" ORDER BY created ASC";

        var page = await Jira.SearchAsync(jql, "summary,labels", 1, "look for meeting-9");

        var request = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath, "GET"));
        Assert.Equal(BasicAuth, Json.Header(request, "Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["jql"] = jql, ["fields"] = "summary,labels", ["maxResults"] = "1" }, Json.QueryOf(request));
        Assert.Equal("MC-9", Assert.Single(page.Issues).Key);
        Assert.Equal(["meeting-9"], page.Issues[0].Fields.Labels);
        Assert.True(page.IsLast);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task A_missing_issue_is_a_permanent_JiraNotFound_naming_the_call_and_Jiras_message()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => Jira.GetWatchersAsync("SUP-404", "fetch watchers of SUP-404"));

        Assert.True(failure.NonRetryable);
        Assert.Equal("JiraNotFound", failure.ErrorType);
        Assert.Equal(
            "Jira answered 404 Not Found to fetch watchers of SUP-404: Issue does not exist or you do not have permission to see it. (it does not exist, or the account cannot see it).",
            failure.Message);
    }

    [Fact]
    public async Task JSM_failures_are_typed_as_Jsm_with_the_JSM_error_message()
    {
        harness.Downstream.Jira.Participants("SUP-8");
        harness.Downstream.JiraServer.FailNext(
            JiraStub.ParticipantsPath("SUP-8"),
            403,
            """{"errorMessage":"You do not have permission to view participants.","i18nErrorMessage":{"i18nKey":"sd.x","parameters":[]}}""");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            Jsm.GetParticipantsAsync("SUP-8", 0, 50, [404], "fetch request participants of SUP-8"));

        Assert.True(failure.NonRetryable);
        Assert.Equal("JsmForbidden", failure.ErrorType);
        Assert.Equal(
            "Jsm answered 403 Forbidden to fetch request participants of SUP-8: You do not have permission to view participants. (the configured account lacks permission for this).",
            failure.Message);
    }

    [Fact]
    public async Task A_JSM_404_the_caller_allows_is_returned_not_thrown()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-10", "Not a service request"));

        using var response = await Jsm.GetParticipantsAsync("SUP-10", 0, 50, [404], "fetch request participants of SUP-10");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Content);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_permanent_JiraUnauthorized()
    {
        using var otherSite = WireMockServer.Start();
        new JiraStub(otherSite, JiraStub.DefaultEmail, "the-site-expects-another-token").Watchers("SUP-1");
        await using var client = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Jira:BaseUrl"] = otherSite.Url });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => client.Get<IJiraApi>().GetWatchersAsync("SUP-1", "fetch watchers of SUP-1"));

        Assert.True(failure.NonRetryable);
        Assert.Equal("JiraUnauthorized", failure.ErrorType);
        Assert.Contains("You are not authenticated.", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(JiraStub.DefaultApiToken, failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "JiraBadRequest", true)]
    [InlineData(409, "JiraConflict", true)]
    [InlineData(500, "JiraServerError", false)]
    [InlineData(503, "JiraServerError", false)]
    public async Task Add_comment_failures_map_to_Temporal_failures(int status, string errorType, bool permanent)
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-9", "x"));
        harness.Downstream.Jira.FailNext(JiraStub.CommentsPath("SUP-9"), status, method: "POST");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            Jira.AddCommentAsync("SUP-9", new JiraNewComment(Adf.FromPlainText("x")), "add a comment to SUP-9"));

        Assert.Equal(permanent, failure.NonRetryable);
        Assert.Equal(errorType, failure.ErrorType);
        Assert.Contains($"to add a comment to SUP-9: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limited_search_is_retried_after_Retry_After()
    {
        harness.Downstream.Jira.FailNext(JiraStub.SearchPath, 429, retryAfterSeconds: 5);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => Jira.SearchAsync("labels = \"x\"", "summary", 1, "look for x"));

        Assert.False(failure.NonRetryable);
        Assert.Equal("JiraRateLimited", failure.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(5), failure.NextRetryDelay);
    }

    [Fact]
    public async Task A_slow_Jira_is_a_retryable_JiraTimeout()
    {
        await using var slow = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Jira:TimeoutSeconds"] = "1" });
        slow.Downstream.Jira.Watchers("SUP-1");
        slow.Downstream.JiraServer.StallNext(JiraStub.WatchersPath("SUP-1"), TimeSpan.FromSeconds(3));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => slow.Get<IJiraApi>().GetWatchersAsync("SUP-1", "fetch watchers of SUP-1"));

        Assert.False(failure.NonRetryable);
        Assert.Equal("JiraTimeout", failure.ErrorType);
    }

    [Fact]
    public async Task An_unreachable_Jira_is_a_retryable_JiraUnreachable()
    {
        await using var down = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Jira:BaseUrl"] = StubServerExtensions.ClosedLoopbackUrl().ToString() });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => down.Get<IJiraApi>().GetWatchersAsync("SUP-1", "fetch watchers of SUP-1"));

        Assert.False(failure.NonRetryable);
        Assert.Equal("JiraUnreachable", failure.ErrorType);
        Assert.Contains("fetch watchers of SUP-1", failure.Message, StringComparison.Ordinal);
    }

    public async Task InitializeAsync() => harness = await WorkflowHarness.StartWithoutWorkerAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();
}
