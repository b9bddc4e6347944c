using System.Text.Json.Nodes;
using EventProcessor.Activities.Jira;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;

namespace EventProcessor.Workflows.Tests.Tickets;

/// <summary>
/// The sample reply comes from Maria Lopez (external, and a watcher of SUP-1234 in <see cref="TicketScenario"/>):
/// it becomes a public comment written by the API account on her behalf, and the ticket's people are mailed, without her.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ContactMessageRepliedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string TicketKey = TicketScenario.TicketKey;
    private const string ReplyText = "Thanks, the export now finishes. Could you also enable the weekly schedule?";

    private static readonly string[] EveryoneButTheReplier =
        ["lena.fischer@acme-retail.com", "ops@example-platform.com", "sam.agent@example-platform.com", "tom.baker@acme-retail.com"];

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task An_external_reply_becomes_one_public_comment_on_her_behalf_and_is_mailed_to_everyone_but_her(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        TicketScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent");

        var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);

        // The comment: written once, by the API account, naming the replier, public, marked with the event id.
        var comment = AddedComment(harness);
        Assert.Equal(harness.Downstream.Jira.ApiAccount, comment.Author);
        Assert.StartsWith("On behalf of Maria Lopez <maria.lopez@acme-retail.com>", comment.Text, StringComparison.Ordinal);
        Assert.Contains(ReplyText, comment.Text, StringComparison.Ordinal);
        Assert.True(comment.JsdPublic);
        Assert.Equal(parsed.Envelope.Id, MarkerOf(comment));
        Assert.False(comment.Properties!.ContainsKey(JiraActivities.JsmVisibilityKey));
        Assert.Equal(comment.Id, result.CommentId);
        Assert.False(result.CommentAlreadyExisted);
        Assert.False(result.InternalNote);

        // The mail: one per recipient, about the ticket, carrying the reply; the replier (a watcher) left out.
        var mails = harness.Downstream.Smtp.Messages;
        Assert.Equal(EveryoneButTheReplier, mails.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Single(m.To));
        Assert.All(mails, m => Assert.Equal("[SUP-1234] New comment from Maria Lopez", m.Subject));
        Assert.All(mails, m => Assert.Contains(ReplyText, m.Text, StringComparison.Ordinal));
        Assert.Equal(EveryoneButTheReplier, result.Notified.Mail.Mailed.Order(StringComparer.Ordinal));
        Assert.Equal(TicketScenario.ProjectUuid, result.Notified.ProjectUuid);
        Assert.Equal(1, result.Notified.ExcludedAuthor);
        Assert.Equal(1, result.Notified.SkippedWithoutEmail);
        Assert.Equal(0, result.Notified.ExcludedExternal);

        // Every downstream request, each once: the marker lookup, the write, and the audience reads.
        var jira = harness.Downstream.JiraServer;
        Assert.Single(jira.ReceivedRequests(JiraStub.CommentsPath(TicketKey), "GET"));
        Assert.Single(jira.ReceivedRequests(JiraStub.CommentListPath, "POST"));
        Assert.Single(jira.ReceivedRequests(JiraStub.CommentsPath(TicketKey), "POST"));
        Assert.Single(jira.ReceivedRequests(JiraStub.WatchersPath(TicketKey)));
        Assert.Single(jira.ReceivedRequests(JiraStub.ParticipantsPath(TicketKey)));
        Assert.Equal(5, jira.LogEntries.Count());
        var platform = harness.Downstream.PlatformServer;
        Assert.Single(platform.ReceivedRequests(PlatformStub.TicketProjectPath(TicketKey)));
        Assert.Single(platform.ReceivedRequests(PlatformStub.ProjectUsersPath(TicketScenario.ProjectUuid)));
        Assert.Equal(2, platform.LogEntries.Count());
        Assert.Empty(harness.Downstream.HubSpotServer.LogEntries);
        Assert.Empty(harness.Downstream.AlgoliaServer.LogEntries);
    }

    [Fact]
    public async Task A_reply_from_an_internal_person_is_an_internal_note_mailed_to_internal_people_only()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent", d =>
        {
            d["fromEmail"] = "sam.agent@example-platform.com";
            d["fromName"] = "Sam Agent";
        });

        var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        // Written through JSM's comment endpoint with public: false, marked, and read back non-public.
        var comment = AddedComment(harness);
        Assert.False(comment.JsdPublic);
        Assert.False(comment.Properties!.ContainsKey(JiraActivities.JsmVisibilityKey));
        Assert.True(comment.Properties.ContainsKey(JiraActivities.EventMarkerKey));
        var note = Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.JsmCommentsPath(TicketKey), "POST"));
        Assert.Contains("\"public\":false", note.Body, StringComparison.Ordinal);
        Assert.StartsWith("On behalf of Sam Agent <sam.agent@example-platform.com>", comment.Text, StringComparison.Ordinal);
        Assert.True(result.InternalNote);

        // Sam (the replier) is a watcher; of the others only ops@ is internal.
        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal(["ops@example-platform.com"], mail.EnvelopeTo);
        Assert.Equal("[SUP-1234] Internal note from Sam Agent", mail.Subject);
        Assert.Equal(1, result.Notified.ExcludedAuthor);
        Assert.Equal(3, result.Notified.ExcludedExternal);
    }

    [Fact]
    public async Task The_replier_is_not_mailed_however_her_address_is_spelled_and_duplicates_in_other_case_get_one_mail()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var lenaUpper = new StubJiraUser("acc-lena", "Lena F.", "LENA.FISCHER@ACME-RETAIL.COM");
        var mariaOtherCase = new StubJiraUser("acc-maria-jsm", "Maria (JSM)", "Maria.Lopez@Acme-Retail.com");
        harness.Downstream.Jira
            .Watchers(TicketKey, TicketScenario.Author, lenaUpper, TicketScenario.HiddenEmail)
            .Participants(TicketKey, mariaOtherCase, TicketScenario.Participant);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent", d => d["fromEmail"] = "MARIA.LOPEZ@acme-retail.com");

        var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        // Lena is a watcher (upper case) and a subscribed user (lower case): one mail, first spelling.
        var recipients = harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).ToList();
        Assert.Equal(["LENA.FISCHER@ACME-RETAIL.COM", "ops@example-platform.com", "tom.baker@acme-retail.com"], recipients.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(recipients, r => r.Contains("maria", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, result.Notified.ExcludedAuthor);
        Assert.Equal(1, result.Notified.SkippedWithoutEmail);
    }

    [Fact]
    public async Task A_reply_without_a_name_is_written_and_mailed_under_the_address()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent", d => d["fromName"] = " ");

        await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        Assert.StartsWith("On behalf of <maria.lopez@acme-retail.com>", AddedComment(harness).Text, StringComparison.Ordinal);
        Assert.Equal(4, harness.Downstream.Smtp.Messages.Count);
        Assert.All(harness.Downstream.Smtp.Messages, m => Assert.Equal("[SUP-1234] New comment from maria.lopez@acme-retail.com", m.Subject));
    }

    [Fact]
    public async Task With_nobody_left_to_tell_the_reply_is_still_added_and_no_mail_activity_runs()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.Jira.Watchers(TicketKey, TicketScenario.Author, TicketScenario.HiddenEmail).Participants(TicketKey);
        harness.Downstream.Platform.ProjectUsers(TicketScenario.ProjectUuid, TicketScenario.NotSubscribed);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent");

        var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        AddedComment(harness);
        Assert.Empty(harness.Downstream.Smtp.Messages);
        Assert.Equal(0, result.Notified.Recipients);
        Assert.Empty(result.Notified.Mail.Mailed);
        Assert.Equal(1, result.Notified.SkippedWithoutEmail);
        Assert.DoesNotContain("SendTemplated", await Runs.ActivitiesOfAsync(harness, parsed));
    }

    [Fact]
    public async Task A_failing_comment_write_is_retried_and_the_comment_and_mails_happen_exactly_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.Jira.FailNext(JiraStub.CommentsPath(TicketKey), 503, method: "POST");
        harness.Downstream.Jira.FailNext(JiraStub.WatchersPath(TicketKey), 429, retryAfterSeconds: 1);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent");

        var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath(TicketKey), "POST").Count);
        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.WatchersPath(TicketKey)).Count);
        Assert.Equal(AddedComment(harness).Id, result.CommentId);
        Assert.Equal(EveryoneButTheReplier, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_retried_comment_activity_finds_the_comment_its_earlier_attempt_wrote_and_does_not_write_again()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent");

        // What an attempt leaves behind when Jira wrote the comment but the answer was lost: the marked comment.
        var earlier = new StubJiraComment(
            "10077",
            harness.Downstream.Jira.ApiAccount,
            $"On behalf of Maria Lopez <maria.lopez@acme-retail.com>\n\n{ReplyText}",
            DateTimeOffset.UtcNow,
            Properties: new Dictionary<string, JsonNode?> { [JiraActivities.EventMarkerKey] = new JsonObject { ["eventId"] = parsed.Envelope.Id } });
        harness.Downstream.Jira.Comments(TicketKey, earlier);

        var result = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        Assert.True(result.CommentAlreadyExisted);
        Assert.Equal("10077", result.CommentId);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath(TicketKey), "POST"));
        Assert.Equal(2, harness.Downstream.Jira.CommentsOf(TicketKey).Count);

        // The notification had not gone out yet: it still does, once.
        Assert.Equal(EveryoneButTheReplier, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_reply_is_not_added_twice()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent");
        var first = await harness.RunAsync<ContactMessageRepliedResult>(parsed);

        // Within retention the workflow id refuses it; after retention the comment marker does.
        await Runs.AssertRedeliveryIsRefusedAsync(harness, parsed);
        var again = await Runs.RunAgainAfterRetentionAsync<ContactMessageRepliedResult>(harness, parsed);

        Assert.True(again.CommentAlreadyExisted);
        Assert.Equal(first.CommentId, again.CommentId);
        Assert.Equal(first.CommentId, AddedComment(harness).Id);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath(TicketKey), "POST"));
    }

    [Fact]
    public async Task A_reply_to_an_unknown_ticket_fails_naming_Jira_and_the_ticket_and_nobody_is_mailed()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent", d => d["ticketKey"] = "SUP-4040");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.ActivityCause(failure);
        Assert.Equal("JiraNotFound", cause.ErrorType);
        Assert.Contains("Jira answered 404", cause.Message, StringComparison.Ordinal);
        Assert.Contains("SUP-4040", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.LogEntries);
        Assert.Empty(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.WatchersPath("SUP-4040")));
        Assert.Empty(harness.Downstream.PlatformServer.LogEntries);
        Assert.Empty(harness.Downstream.Smtp.Messages);
        Assert.Equal(["AddCommentOnce"], await Runs.ActivitiesOfAsync(harness, parsed));
    }

    [Fact]
    public async Task A_ticket_without_a_platform_project_keeps_the_reply_and_fails_clearly_before_mailing()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.TicketProjectPath(TicketKey), 404, times: 100, error: "No project is linked to SUP-1234");
        var parsed = SampleEvents.Load("ContactMessageRepliedEvent");

        var failure = await harness.RunToFailureAsync(parsed);

        var cause = Runs.BusinessCause(failure);
        Assert.Equal("TicketHasNoProject", cause.ErrorType);
        Assert.Contains("SUP-1234", cause.Message, StringComparison.Ordinal);
        AddedComment(harness);
        Assert.Empty(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(TicketScenario.ProjectUuid)));
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }

    /// <summary>The one comment the run added (the scenario's ticket has one comment before).</summary>
    private static StubJiraComment AddedComment(WorkflowHarness harness)
    {
        var added = harness.Downstream.Jira.CommentsOf(TicketKey).Where(c => c.Id != "10042").ToList();
        return Assert.Single(added);
    }

    private static string? MarkerOf(StubJiraComment comment) =>
        comment.Properties?.GetValueOrDefault(JiraActivities.EventMarkerKey)?["eventId"]?.GetValue<string>();
}
