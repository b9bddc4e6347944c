using Microsoft.Extensions.Logging;

namespace EventProcessor.Activities.Jira;

internal static partial class JiraLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} on {TicketKey} already carries event {EventId}; not adding it again")]
    public static partial void CommentAlreadyAdded(ILogger logger, string ticketKey, string commentId, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueKey} already has label {Label}; not creating another")]
    public static partial void IssueAlreadyExists(ILogger logger, string issueKey, string label);
}
