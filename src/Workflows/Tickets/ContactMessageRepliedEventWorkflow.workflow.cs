using EventProcessor.Activities.Jira;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Tickets;

/// <summary>What ContactMessageReplied did.</summary>
public sealed record ContactMessageRepliedResult(string TicketKey, string CommentId, bool CommentAlreadyExisted, bool InternalNote, ConversationNotified Notified);

/// <summary>
/// Adds an emailed reply to its Jira ticket on behalf of the replier (once per event: the
/// comment carries the event id and is looked for before writing), then notifies the ticket's
/// people like TicketCommented, without the replier. A reply from an internal person is an internal
/// note and reaches internal people only (no mail activity when nobody is left to tell).
/// </summary>
[Workflow]
public sealed class ContactMessageRepliedEventWorkflow : IEventWorkflow<ContactMessageRepliedDetail>
{
    [WorkflowRun]
    public async Task<ContactMessageRepliedResult> RunAsync(EventInput<ContactMessageRepliedDetail> input)
    {
        var detail = input.Detail;
        var policy = await Policy.GetAsync();
        var internalReplier = RecipientRules.IsInternal(detail.FromEmail, policy.InternalDomains);

        var request = new JiraCommentRequest(
            detail.TicketKey, input.EventId, detail.BodyText, internalReplier, new JiraOnBehalfOf(detail.FromName, detail.FromEmail));
        var comment = await Workflow.ExecuteActivityAsync(
            (JiraActivities a) => a.AddCommentOnceAsync(request),
            ActivityProfiles.JiraWrite($"Add the reply of {detail.FromEmail} to {detail.TicketKey}"));

        var audience = await TicketConversation.FetchAudienceAsync(detail.TicketKey);
        var message = new ConversationMessage(
            detail.TicketKey,
            input.EventId,
            new Author(null, detail.FromEmail),
            // A blank name would leave the mail's required commentAuthor empty and fail the send for good.
            string.IsNullOrWhiteSpace(detail.FromName) ? detail.FromEmail : detail.FromName.Trim(),
            detail.BodyText,
            InternalNote: internalReplier);
        var notified = await TicketConversation.NotifyAsync(message, audience, policy);
        return new ContactMessageRepliedResult(detail.TicketKey, comment.CommentId, comment.AlreadyExisted, internalReplier, notified);
    }
}
