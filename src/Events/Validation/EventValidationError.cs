namespace EventProcessor.Events.Validation;

/// <summary>Why an event was rejected; stable names that logs, dead-letter reports and tests match on.</summary>
public enum RejectionCode
{
    PayloadTooLarge,
    MalformedJson,
    MissingEnvelopeField,
    InvalidEnvelopeField,
    UnknownDetailType,
    SourceNotAllowed,
    MissingDetailField,
    WrongFieldType,
    InvalidFieldValue,
}

/// <summary>One problem found in an event. <see cref="Field"/> is a path such as <c>detail.ticketKey</c>.</summary>
public sealed record EventProblem(RejectionCode Code, string? Field, string Reason);

/// <summary>
/// A poison event: it can never succeed, so it must not be retried. The message names the event
/// id (when known), the type (when known) and every field at fault.
/// </summary>
public sealed class EventValidationException : Exception
{
    public EventValidationException(string? eventId, string? detailType, IReadOnlyList<EventProblem> problems)
        : base(Describe(eventId, detailType, problems))
    {
        EventId = eventId;
        DetailType = detailType;
        Problems = problems;
    }

    public EventValidationException()
        : this(null, null, [])
    {
    }

    public EventValidationException(string message)
        : base(message) => Problems = [];

    public EventValidationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    /// <summary>The envelope's <c>id</c>, when it could be read.</summary>
    public string? EventId { get; }

    /// <summary>The envelope's <c>detail-type</c>, when it could be read.</summary>
    public string? DetailType { get; }

    /// <summary>Every problem found; never empty when thrown by the parser.</summary>
    public IReadOnlyList<EventProblem> Problems { get; }

    /// <summary>The first problem's code, the one that decides how the event is reported.</summary>
    public RejectionCode Code => Problems.Count > 0 ? Problems[0].Code : RejectionCode.MalformedJson;

    private static string Describe(string? eventId, string? detailType, IReadOnlyList<EventProblem> problems)
    {
        var subject = (eventId, detailType) switch
        {
            (not null, not null) => $"Event '{eventId}' of type '{detailType}'",
            (not null, null) => $"Event '{eventId}'",
            (null, not null) => $"Event of type '{detailType}'",
            _ => "Event",
        };
        var reasons = problems.Count == 0 ? "invalid" : string.Join("; ", problems.Select(p => p.Reason));
        return $"{subject} rejected: {reasons}";
    }
}
