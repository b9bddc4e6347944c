namespace EventProcessor.Events.Payloads;

/// <summary><c>MeetingScheduledEvent</c>: a prospect booked a meeting.</summary>
public sealed record MeetingScheduledDetail(
    string MeetingId,
    string Email,
    string? Name,
    string? Company,
    DateTimeOffset ScheduledAt,
    FreeForm? Notes) : IEventDetail;

/// <summary><c>ContactFormSubmittedEvent</c>: the website's contact form was sent.</summary>
public sealed record ContactFormSubmittedDetail(
    string SubmissionId,
    string Email,
    string? Name,
    string? Company,
    string Message) : IEventDetail;
