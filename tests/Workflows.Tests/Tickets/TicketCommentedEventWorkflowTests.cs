using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Tickets;
using Temporalio.Exceptions;

namespace EventProcessor.Workflows.Tests.Tickets;

[Collection(TemporalCollection.Name)]
public sealed class TicketCommentedEventWorkflowTests(TemporalServerFixture temporal)
{
    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task A_public_comment_is_mailed_once_to_each_watcher_participant_and_subscriber_but_not_the_author(int? maxCachedWorkflows)
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal, maxCachedWorkflows);
        TicketScenario.Arrange(harness.Downstream);

        var parsed = SampleEvents.Load("TicketCommentedEvent");

        var result = await harness.RunAsync<TicketCommentedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, "Workflows.Tests");
        string[] expected = ["sam.agent@example-platform.com", "tom.baker@acme-retail.com", "lena.fischer@acme-retail.com", "ops@example-platform.com"];
        var mails = harness.Downstream.Smtp.Messages;
        Assert.Equal(expected.Order(StringComparer.Ordinal), mails.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Single(m.To));
        Assert.All(mails, m => Assert.Contains("SUP-1234", m.Subject, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Contains("The export still stops at 10,000 rows.", m.Text, StringComparison.Ordinal));
        Assert.Equal("10042", result.CommentId);
        Assert.False(result.InternalNote);
        Assert.NotNull(result.Notified);
        Assert.Equal(4, result.Notified.Mail.Mailed.Count);
        Assert.Equal(1, result.Notified.SkippedWithoutEmail);
        Assert.Equal(1, result.Notified.ExcludedAuthor);

        // Exactly the documented reads, each once.
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath("SUP-1234"), "GET"));
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.WatchersPath("SUP-1234")));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.TicketProjectPath("SUP-1234")));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(TicketScenario.ProjectUuid)));
    }

    [Fact]
    public async Task An_internal_note_is_mailed_to_internal_recipients_only()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream, internalNote: true, author: TicketScenario.Agent);

        var result = await harness.RunAsync<TicketCommentedResult>(SampleEvents.Load("TicketCommentedEvent"));

        Assert.True(result.InternalNote);
        Assert.Equal(["ops@example-platform.com"], harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo));
        Assert.Equal(3, result.Notified!.ExcludedExternal);
        Assert.Equal(1, result.Notified.ExcludedAuthor);
    }

    [Fact]
    public async Task The_same_person_in_different_case_gets_one_mail_and_no_one_means_no_mail_activity()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.Jira.Watchers(TicketScenario.TicketKey, TicketScenario.Author, new StubJiraUser("acc-x", "Lena", "LENA.FISCHER@ACME-RETAIL.COM"));
        harness.Downstream.Jira.Participants(TicketScenario.TicketKey);
        harness.Downstream.Platform.ProjectUsers(TicketScenario.ProjectUuid, TicketScenario.SubscribedUser);

        var result = await harness.RunAsync<TicketCommentedResult>(SampleEvents.Load("TicketCommentedEvent"));

        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal(["LENA.FISCHER@ACME-RETAIL.COM"], mail.EnvelopeTo);
        Assert.Single(result.Notified!.Mail.Mailed);

        // Nobody left: the run completes without an email activity.
        await using var empty = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(empty.Downstream);
        empty.Downstream.Jira.Watchers(TicketScenario.TicketKey, TicketScenario.Author, TicketScenario.HiddenEmail);
        empty.Downstream.Jira.Participants(TicketScenario.TicketKey);
        empty.Downstream.Platform.ProjectUsers(TicketScenario.ProjectUuid, TicketScenario.NotSubscribed);
        var parsed = SampleEvents.Load("TicketCommentedEvent");

        var nobody = await empty.RunAsync<TicketCommentedResult>(parsed);

        Assert.Empty(empty.Downstream.Smtp.Messages);
        Assert.Empty(nobody.Notified!.Mail.Mailed);
        var history = await empty.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.ActivityTaskScheduledEventAttributes?.ActivityType.Name == "SendTemplated");
    }

    [Fact]
    public async Task A_rate_limited_then_recovering_Jira_still_mails_each_recipient_exactly_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.Jira.FailNext(JiraStub.WatchersPath(TicketScenario.TicketKey), 429, retryAfterSeconds: 1);
        harness.Downstream.Smtp.FailNextTransactions(1, after: 2);

        var result = await harness.RunAsync<TicketCommentedResult>(SampleEvents.Load("TicketCommentedEvent"));

        Assert.Equal(2, harness.Downstream.JiraServer.ReceivedRequests(JiraStub.WatchersPath(TicketScenario.TicketKey)).Count);
        var recipients = harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).ToList();
        Assert.Equal(4, recipients.Count);
        Assert.Equal(recipients.Count, recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(4, result.Notified!.Mail.Mailed.Count + result.Notified.Mail.AlreadyMailed.Count);
    }

    [Fact]
    public async Task A_comment_this_processor_added_for_an_emailed_reply_is_not_notified_twice()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        var reply = SampleEvents.Load("ContactMessageRepliedEvent");
        await harness.RunAsync<ContactMessageRepliedResult>(reply);
        var mailedForReply = harness.Downstream.Smtp.Messages.Count;

        // Jira's webhook reports the processor's own comment as a new comment.
        var result = await harness.RunAsync<TicketCommentedResult>(SampleEvents.Load("TicketCommentedEvent"));

        Assert.Null(result.Notified);
        Assert.Contains(reply.Envelope.Id, result.Skipped, StringComparison.Ordinal);
        Assert.Equal(mailedForReply, harness.Downstream.Smtp.Messages.Count);
    }

    [Fact]
    public async Task A_ticket_without_a_platform_project_fails_clearly_and_mails_nobody()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.PlatformServer.FailNext(PlatformStub.TicketProjectPath(TicketScenario.TicketKey), 404, """{"error":"No project is linked to SUP-1234","code":"not_found"}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketCommentedEvent"));

        var cause = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal("TicketHasNoProject", cause.ErrorType);
        Assert.Contains("SUP-1234", cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.Smtp.Messages);
        Assert.Empty(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(TicketScenario.ProjectUuid)));
    }

    [Fact]
    public async Task Refused_Jira_credentials_fail_the_run_naming_Jira_without_retrying()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        TicketScenario.Arrange(harness.Downstream);
        harness.Downstream.JiraServer.FailNext(JiraStub.CommentsPath(TicketScenario.TicketKey), 401, """{"errorMessages":["Client must be authenticated to access this resource."],"errors":{}}""", times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load("TicketCommentedEvent"));

        var activity = Assert.IsType<ActivityFailureException>(failure.InnerException);
        var cause = Assert.IsType<ApplicationFailureException>(activity.InnerException);
        Assert.Equal("JiraUnauthorized", cause.ErrorType);
        Assert.Contains("Jira", cause.Message, StringComparison.Ordinal);
        Assert.Single(harness.Downstream.JiraServer.ReceivedRequests(JiraStub.CommentsPath(TicketScenario.TicketKey), "GET"));
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }
}
