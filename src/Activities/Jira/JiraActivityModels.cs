namespace EventProcessor.Activities.Jira;

// Inputs and results of JiraActivities (serialized by Temporal into the workflow history).

/// <summary>A person as Jira shows them; <see cref="Email"/> is null when their profile hides it.</summary>
public sealed record JiraPerson(string AccountId, string? DisplayName, string? Email);

/// <summary>
/// The newest comment; <c>IsPublic</c> is false for a JSM internal note or a comment restricted to a role or group.
/// <c>WrittenForEventId</c> is set when this processor wrote the comment (its event marker), e.g. an emailed reply.
/// </summary>
public sealed record JiraLatestComment(string Id, JiraPerson Author, string BodyText, DateTimeOffset Created, bool IsPublic, string? WrittenForEventId = null);

/// <summary>Watchers and JSM request participants (all pages), as listed by Jira; may overlap.</summary>
public sealed record JiraTicketPeople(IReadOnlyList<JiraPerson> Watchers, IReadOnlyList<JiraPerson> Participants)
{
    /// <summary>Everyone once (by account id), watchers first.</summary>
    public IReadOnlyList<JiraPerson> Everyone() =>
        Watchers.Concat(Participants).DistinctBy(p => p.AccountId, StringComparer.Ordinal).ToList();
}

/// <summary>The person a comment is written for: the API account is the author, so the text names them.</summary>
public sealed record JiraOnBehalfOf(string? Name, string Email);

/// <summary>
/// A comment to add once per event: <c>EventId</c> is stored as a comment property to find it again
/// on retry; <c>Internal</c> makes it a JSM internal note (written through JSM's comment endpoint with <c>public: false</c>).
/// </summary>
public sealed record JiraCommentRequest(string TicketKey, string EventId, string Text, bool Internal, JiraOnBehalfOf? OnBehalfOf = null);

/// <summary><c>AlreadyExisted</c> is true when a comment carrying the event's marker was already there (nothing written).</summary>
public sealed record JiraCommentResult(string CommentId, bool AlreadyExisted);

/// <summary>An issue to create once: <c>Label</c> is unique per business object (e.g. <c>meeting-42</c>) and the issue is created only if no issue of the project has it.</summary>
public sealed record JiraIssueRequest(string ProjectKey, string IssueType, string Summary, string Description, string Label);

public sealed record JiraIssueResult(string Key, string BrowseUrl, bool AlreadyExisted);

public sealed record JiraIssueSummary(
    string Key,
    string Summary,
    string? Status,
    string? Priority,
    JiraPerson? Reporter,
    DateTimeOffset? Created,
    DateTimeOffset? Updated,
    string BrowseUrl)
{
    public string? ReporterEmail => Reporter?.Email;
}

/// <summary>
/// Heartbeat detail recorded just before an issue is created: a retry that does not find the label
/// knows a create may have happened that search does not show yet, and since when.
/// </summary>
public sealed record JiraIssueCreateIntent(string ProjectKey, string Label, DateTimeOffset SentAt);

/// <summary>
/// Heartbeat detail recorded just before a comment is written: the comments the ticket had then, so
/// a retry can tell a comment the lost write added from those that were already there.
/// </summary>
public sealed record JiraCommentIntent(string TicketKey, string EventId, IReadOnlyList<string> CommentIdsBefore, DateTimeOffset SentAt);
