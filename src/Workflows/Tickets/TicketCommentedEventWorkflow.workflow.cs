using EventProcessor.Activities.Jira;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tickets;

/// <summary>What TicketCommented did.</summary>
/// <param name="Skipped">Why nobody was notified, when the run chose not to (e.g. the comment is an emailed reply this processor added).</param>
public sealed record TicketCommentedResult(string TicketKey, string? CommentId, bool InternalNote, ConversationNotified? Notified, string? Skipped = null);

/// <summary>
/// Mails the people around a Jira ticket about its newest comment (docs/events.md).
/// </summary>
[Workflow]
public sealed class TicketCommentedEventWorkflow : IEventWorkflow<TicketCommentedDetail>
{
    [WorkflowRun]
    public async Task<TicketCommentedResult> RunAsync(EventInput<TicketCommentedDetail> input)
    {
        var ticketKey = input.Detail.TicketKey;
        var policy = Policy.GetAsync();
        var comment = Workflow.ExecuteActivityAsync(
            (JiraActivities a) => a.GetLatestCommentAsync(ticketKey),
            ActivityProfiles.Jira($"Fetch the newest comment of {ticketKey}"));
        var audience = TicketConversation.FetchAudienceAsync(ticketKey);
        await Workflow.WhenAllAsync(policy, comment, audience);

        var latest = await comment;
        if (latest is null)
        {
            // The comment was deleted before we looked: nothing to tell anyone.
            return new TicketCommentedResult(ticketKey, null, false, null, "The ticket has no comment any more.");
        }

        if (latest.WrittenForEventId is { } replyEvent)
        {
            // Jira reports the comments this processor adds for emailed replies too; the reply's
            // own workflow (ContactMessageReplied) already notified everyone, so mailing again
            // would send each person the same reply twice, the replier included.
            return new TicketCommentedResult(ticketKey, latest.Id, !latest.IsPublic, null, $"Comment {latest.Id} was added by this processor for event {replyEvent}, which notified its recipients.");
        }

        var message = new ConversationMessage(
            ticketKey,
            input.EventId,
            new Author(latest.Author.AccountId, latest.Author.Email),
            string.IsNullOrWhiteSpace(latest.Author.DisplayName) ? "Someone" : latest.Author.DisplayName,
            latest.BodyText,
            InternalNote: !latest.IsPublic);
        var notified = await TicketConversation.NotifyAsync(message, await audience, await policy);
        return new TicketCommentedResult(ticketKey, latest.Id, !latest.IsPublic, notified);
    }
}
