using Microsoft.Extensions.Logging;

namespace EventProcessor.Activities.Jira;

internal static partial class JiraLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} on {TicketKey} already carries event {EventId}; not adding it again")]
    public static partial void CommentAlreadyAdded(ILogger logger, string ticketKey, string commentId, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueKey} already has label {Label}; not creating another")]
    public static partial void IssueAlreadyExists(ILogger logger, string issueKey, string label);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An earlier attempt sent {What} at {SentAt} without learning the outcome; looking for it until {LookUntil} before writing again")]
    public static partial void LookingForEarlierWrite(ILogger logger, string what, DateTimeOffset sentAt, DateTimeOffset lookUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} on {TicketKey} is the one an earlier attempt wrote for event {EventId}; marking it instead of writing again")]
    public static partial void CommentAdopted(ILogger logger, string ticketKey, string commentId, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{TicketKey} is not a JSM request; the note for event {EventId} is written as a Jira comment (there is no customer portal to hide it from)")]
    public static partial void NotAServiceRequest(ILogger logger, string ticketKey, string eventId);
}
