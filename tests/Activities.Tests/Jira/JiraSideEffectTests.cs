using System.Text.Json.Nodes;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.Tests.Jira;

/// <summary>
/// Jira writes that must happen once however the calls fail, against the stub behaving like Jira
/// Cloud: JQL search (<c>GET /rest/api/3/search/jql</c>) without read-after-write consistency
/// (developer.atlassian.com/cloud/jira/platform/search-and-reconcile: "may return stale or outdated
/// data ... from a few seconds to minutes"), and writes applied but answered 502 (the caller cannot
/// tell). Attempts run as Temporal runs them (<see cref="TemporalAttempts"/>: retries carry the last
/// heartbeat details); waits happen on the shared <see cref="StandInClock"/>, so none takes real time.
/// </summary>
public sealed class JiraSideEffectTests : IAsyncLifetime
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(20);

    private WorkflowHarness harness = null!;

    private JiraActivities Activities => harness.Get<JiraActivities>();

    [Fact]
    public async Task A_first_create_never_waits_even_while_search_lags()
    {
        harness.Downstream.Jira.SearchLag = Lag;
        var attempts = new TemporalAttempts();

        var result = await attempts.RunAsync(() => Activities.CreateIssueOnceAsync(Request("meeting-m-1")));

        Assert.False(result.AlreadyExisted);
        Assert.Equal(TimeSpan.Zero, harness.Clock.Offset);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.SearchPath));
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        var intent = attempts.Heartbeat<JiraIssueCreateIntent>()!;
        Assert.Equal(("MC", "meeting-m-1"), (intent.ProjectKey, intent.Label));
        Assert.InRange(intent.SentAt, harness.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), harness.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_create_applied_but_answered_502_is_found_once_search_catches_up_instead_of_created_again()
    {
        harness.Downstream.Jira.SearchLag = Lag;
        harness.Downstream.Jira.WriteFaults = StubWriteFaults.EveryNth(1);
        var attempts = new TemporalAttempts();

        var result = await attempts.RunAsync(() => Activities.CreateIssueOnceAsync(Request("meeting-m-2")));

        var issue = Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(new JiraIssueResult(issue.Key, $"{harness.Downstream.JiraServer.Url}/browse/{issue.Key}", AlreadyExisted: true), result);
        Assert.Equal(2, attempts.Attempts);
        Assert.Equal("JiraServerError", Assert.Single(attempts.Failures).ErrorType);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST"));
        Assert.InRange(harness.Clock.Offset, Lag, TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task A_create_that_never_happened_is_sent_again_only_after_the_window_has_passed()
    {
        harness.Downstream.Jira.SearchLag = Lag;
        harness.Downstream.Jira.FailNext(JiraStub.CreateIssuePath, 502, method: "POST");
        var attempts = new TemporalAttempts();

        var result = await attempts.RunAsync(() => Activities.CreateIssueOnceAsync(Request("meeting-m-3")));

        Assert.False(result.AlreadyExisted);
        Assert.Single(harness.Downstream.Jira.CreatedIssues());
        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST").Count);
        // The clock also runs in real time, so the waits add up to a hair under the 120 s window.
        Assert.True(harness.Clock.Offset >= TimeSpan.FromSeconds(119), $"created again after {harness.Clock.Offset}");

        // 60 s per attempt leaves room for 40 s of looking: the look goes on in later attempts, each
        // ending in a retryable JiraSearchLag that asks Temporal for a short pause only.
        var lag = attempts.Failures.Where(f => f.ErrorType == "JiraSearchLag").ToList();
        Assert.NotEmpty(lag);
        Assert.All(lag, f => Assert.Equal(TimeSpan.FromSeconds(1), f.NextRetryDelay));
        Assert.Contains("meeting-m-3", lag[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_window_is_configurable()
    {
        await using var shortWindow = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Jira:SearchLagWindowSeconds"] = "30" });
        shortWindow.Downstream.Jira.SearchLag = TimeSpan.FromMinutes(10);
        shortWindow.Downstream.Jira.FailNext(JiraStub.CreateIssuePath, 504, method: "POST");

        await new TemporalAttempts().RunAsync(() => shortWindow.Get<JiraActivities>().CreateIssueOnceAsync(Request("meeting-m-4")));

        Assert.InRange(shortWindow.Clock.Offset, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(60));
        Assert.Equal(2, shortWindow.Downstream.JiraServer.ReceivedRequests(JiraStub.CreateIssuePath, "POST").Count);
    }

    [Fact]
    public async Task Summaries_are_clipped_to_one_line_of_255_characters_as_Jira_requires()
    {
        var longName = string.Concat(Enumerable.Repeat("Northwind Foods International ", 12));
        var request = Request("meeting-m-5") with { Summary = $"Meeting with\r\n{longName}" };

        await new TemporalAttempts().RunAsync(() => Activities.CreateIssueOnceAsync(request));

        var summary = Assert.Single(harness.Downstream.Jira.CreatedIssues()).Summary;
        Assert.Equal(255, summary.Length);
        Assert.DoesNotContain('\n', summary);
        Assert.StartsWith("Meeting with Northwind Foods", summary, StringComparison.Ordinal);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stub_refuses_summaries_Jira_refuses()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-1", "x"));
        using var http = new HttpClient { BaseAddress = new Uri(harness.Downstream.JiraServer.Url!) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{JiraStub.DefaultEmail}:{JiraStub.DefaultApiToken}")));

        using var tooLong = await http.PostAsync(new Uri(JiraStub.CreateIssuePath, UriKind.Relative), Body(new string('x', 256)));
        using var twoLines = await http.PostAsync(new Uri(JiraStub.CreateIssuePath, UriKind.Relative), Body("a\nb"));

        Assert.Equal(400, (int)tooLong.StatusCode);
        Assert.Contains("less than 255 characters", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(400, (int)twoLines.StatusCode);
        Assert.Contains("newline", await twoLines.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        static StringContent Body(string summary) => new(
            new JsonObject { ["fields"] = new JsonObject { ["project"] = new JsonObject { ["key"] = "MC" }, ["issuetype"] = new JsonObject { ["name"] = "Task" }, ["summary"] = summary } }.ToJsonString(),
            System.Text.Encoding.UTF8,
            "application/json");
    }

    [Fact]
    public async Task An_internal_note_JSM_shows_to_the_customer_fails_loudly_and_permanently()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-20", "x")).JsmRequest("SUP-20");
        harness.Downstream.Jira.WritesEveryCommentPublic = true;

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => new TemporalAttempts().RunAsync(() =>
            Activities.AddCommentOnceAsync(new JiraCommentRequest("SUP-20", "evt-20", "Internal only", Internal: true))));

        Assert.Equal("JsmInternalNoteIsPublic", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("SUP-20", failure.Message, StringComparison.Ordinal);
        Assert.Contains("visible to the customer", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_internal_note_on_an_issue_that_is_not_a_JSM_request_is_a_marked_Jira_comment()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("DEV-1", "x"));

        var result = await new TemporalAttempts().RunAsync(() =>
            Activities.AddCommentOnceAsync(new JiraCommentRequest("DEV-1", "evt-21", "Note", Internal: true)));

        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.JsmCommentsPath("DEV-1"), "POST"));
        var comment = Assert.Single(harness.Downstream.Jira.CommentsOf("DEV-1"));
        Assert.Equal(comment.Id, result.CommentId);
        Assert.True(comment.Properties!.ContainsKey(JiraActivities.EventMarkerKey));
    }

    [Fact]
    public async Task A_JSM_note_applied_but_answered_502_is_adopted_and_marked_instead_of_written_again()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-22", "x")).JsmRequest("SUP-22")
            .Comments("SUP-22", new StubJiraComment("10001", new StubJiraUser("c", "Carl"), "Internal reply", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)));
        harness.Downstream.Jira.WriteFaults = StubWriteFaults.EveryNth(1);
        var attempts = new TemporalAttempts();
        var request = new JiraCommentRequest("SUP-22", "evt-22", "Internal reply", Internal: true);

        // Every write is answered 502 until the faults are lifted after the first two attempts.
        var failures = 0;
        var result = await attempts.RunAsync(async () =>
        {
            if (++failures > 2)
            {
                harness.Downstream.Jira.WriteFaults = null;
            }

            return await Activities.AddCommentOnceAsync(request);
        });

        var comments = harness.Downstream.Jira.CommentsOf("SUP-22");
        Assert.Equal(2, comments.Count);
        var note = comments.Single(c => c.Id != "10001");
        Assert.False(note.JsdPublic);
        Assert.Equal("""{"eventId":"evt-22"}""", note.Properties![JiraActivities.EventMarkerKey]!.ToJsonString());
        Assert.Equal(new JiraCommentResult(note.Id, AlreadyExisted: true), result);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.JsmCommentsPath("SUP-22"), "POST"));
        // The lost JSM write, then the lost marker write of the attempt that adopted the note.
        Assert.Equal(["JsmServerError", "JiraServerError"], attempts.Failures.Select(f => f.ErrorType));
    }

    [Fact]
    public async Task A_public_comment_never_takes_someone_elses_comment_with_the_same_text_for_its_own()
    {
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-23", "x"))
            .Comments("SUP-23", new StubJiraComment("10005", new StubJiraUser("c", "Carl"), "Thanks!", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)));

        // An earlier attempt recorded its intent before the customer's comment arrived, and its write was lost.
        var attempts = new TemporalAttempts { LastHeartbeat = new JiraCommentIntent("SUP-23", "evt-23", [], harness.Clock.GetUtcNow()) };
        var result = await attempts.RunAsync(() => Activities.AddCommentOnceAsync(new JiraCommentRequest("SUP-23", "evt-23", "Thanks!", Internal: false)));

        Assert.False(result.AlreadyExisted);
        Assert.Equal(2, harness.Downstream.Jira.CommentsOf("SUP-23").Count);
        Assert.Null(harness.Downstream.Jira.CommentsOf("SUP-23").Single(c => c.Id == "10005").Properties);
    }

    /// <summary>
    /// Jira at its worst that the writes must survive: search lagging 20 s and 40% of writes applied but answered 502
    /// (a seeded draw, the same on every run), and still exactly one issue per label and one
    /// comment per event, public or internal, every call completing.
    /// </summary>
    [Fact]
    public async Task With_search_lagging_20s_and_40_percent_of_writes_lost_every_event_writes_exactly_once()
    {
        harness.Downstream.Jira.SearchLag = Lag;
        var faults = StubWriteFaults.Share(0.4, seed: 17);
        harness.Downstream.Jira.WriteFaults = faults;
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-30", "support")).JsmRequest("SUP-30");
        harness.Downstream.Jira.Issue(new StubJiraIssue("SUP-31", "plain"));

        for (var i = 0; i < 8; i++)
        {
            var label = $"incident-i-{i}";
            await new TemporalAttempts().RunAsync(() => Activities.CreateIssueOnceAsync(Request(label)));
        }

        for (var i = 0; i < 8; i++)
        {
            var request = new JiraCommentRequest(i % 2 == 0 ? "SUP-30" : "SUP-31", $"evt-{i}", $"Reply number {i}", Internal: i % 4 == 0);
            await new TemporalAttempts().RunAsync(() => Activities.AddCommentOnceAsync(request));
        }

        var issues = harness.Downstream.Jira.CreatedIssues();
        Assert.Equal(8, issues.Count);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"incident-i-{i}"), issues.Select(i => Assert.Single(i.Labels!)).Order(StringComparer.Ordinal));
        var comments = harness.Downstream.Jira.CommentsOf("SUP-30").Concat(harness.Downstream.Jira.CommentsOf("SUP-31")).ToList();
        Assert.Equal(8, comments.Count);
        Assert.Equal(
            Enumerable.Range(0, 8).Select(i => $"evt-{i}").Order(StringComparer.Ordinal),
            comments.Select(c => c.Properties![JiraActivities.EventMarkerKey]!["eventId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(comments.Where(c => c.Text.StartsWith("Reply number 0", StringComparison.Ordinal) || c.Text.StartsWith("Reply number 4", StringComparison.Ordinal)), c => Assert.False(c.JsdPublic));
        Assert.InRange(faults.Faulted, 4, faults.Writes);
    }

    private static JiraIssueRequest Request(string label) => new("MC", "Task", $"Lead {label}", "details", label);

    public async Task InitializeAsync() => harness = await WorkflowHarness.StartWithoutWorkerAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();
}
