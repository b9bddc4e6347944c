namespace EventProcessor.Activities.Email;

/// <summary>One person to mail. People without a visible email are left out by the caller.</summary>
public sealed record EmailRecipient(string Email, string? Name = null);

/// <summary>
/// Input of <see cref="EmailActivities.SendTemplatedAsync"/>: one template, one event, many recipients.
/// <paramref name="Model"/> holds the template's fields as strings (see <see cref="EmailTemplates"/> for
/// each template's fields); the recipient's own fields (<c>recipientEmail</c>, <c>recipientName</c>) are
/// added per mail.
/// </summary>
public sealed record EmailBatch(
    string TemplateName,
    string EventId,
    IReadOnlyList<EmailRecipient> Recipients,
    IReadOnlyDictionary<string, string?> Model)
{
    /// <summary>Names the model's fields but never their values: a value may be a secret (the password-reset URL).</summary>
    public override string ToString() =>
        $"EmailBatch {TemplateName} for event {EventId} to {Recipients.Count} recipient(s), model fields [{string.Join(", ", Model.Keys)}]";
}

/// <summary>A recipient the mail server refused for good (or whose address is not an address), with the server's reason.</summary>
public sealed record RejectedRecipient(string Email, string Reason);

/// <summary>
/// Outcome of a batch. <see cref="Sent"/> were mailed by this attempt; <see cref="AlreadySent"/> were
/// mailed by an earlier attempt of the same activity (recorded in its heartbeat) and skipped;
/// <see cref="Rejected"/> were refused permanently and will not be tried again.
/// </summary>
public sealed record EmailBatchResult(
    IReadOnlyList<string> Sent,
    IReadOnlyList<string> AlreadySent,
    IReadOnlyList<RejectedRecipient> Rejected);

/// <summary>
/// Heartbeat details of a batch: who has been mailed or refused so far. A retried attempt reads the
/// last recorded value and only handles the others.
/// </summary>
public sealed record EmailSendProgress(IReadOnlyList<string> Sent, IReadOnlyList<RejectedRecipient> Rejected)
{
    public static EmailSendProgress None { get; } = new([], []);
}
