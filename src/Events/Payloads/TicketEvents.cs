namespace EventProcessor.Events.Payloads;

/// <summary><c>TicketCommentedEvent</c>: a comment was added to a Jira ticket.</summary>
public sealed record TicketCommentedDetail(string TicketKey, string? CommentId) : IHasTicketKey;

/// <summary><c>ContactMessageRepliedEvent</c>: someone replied by email to a ticket notification.</summary>
public sealed record ContactMessageRepliedDetail(
    string TicketKey,
    string MessageId,
    string FromEmail,
    string? FromName,
    string BodyText,
    DateTimeOffset? ReceivedAt) : IHasTicketKey;

/// <summary><c>TicketUpdatedEvent</c>: fields of a Jira ticket changed.</summary>
public sealed record TicketUpdatedDetail(string TicketKey) : IHasTicketKey;

/// <summary><c>TicketTransitionedEvent</c>: a Jira ticket moved between workflow statuses.</summary>
public sealed record TicketTransitionedDetail(string TicketKey, string? FromStatus, string ToStatus) : IHasTicketKey;

/// <summary><c>TicketCreatedEvent</c>: a Jira ticket was created.</summary>
public sealed record TicketCreatedDetail(string TicketKey, string? ProjectUuid) : IHasTicketKey, IHasProjectUuid;
