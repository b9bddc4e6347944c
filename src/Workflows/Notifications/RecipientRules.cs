using EventProcessor.Activities.Platform;

namespace EventProcessor.Workflows.Notifications;

/// <summary>Someone who may be notified: a Jira watcher or request participant, or a platform user.</summary>
/// <param name="Email">Null when the person's profile hides it (Jira returns no email then).</param>
/// <param name="Name">The display name, for the greeting.</param>
/// <param name="AccountId">The Jira account id, when the person comes from Jira.</param>
public sealed record Candidate(string? Email, string? Name, string? AccountId = null);

/// <summary>A platform project user with the topics they subscribed to.</summary>
public sealed record SubscribedUser(string Email, string? Name, IReadOnlyList<string> Subscriptions);

/// <summary>Who wrote the comment or reply; excluded from the notification by account id or email.</summary>
public sealed record Author(string? AccountId, string? Email);

/// <summary>One person to mail, with whether their domain is internal.</summary>
public sealed record Recipient(string Email, string? Name, bool Internal);

/// <summary>The inputs of recipient resolution for a ticket conversation (TicketCommented, ContactMessageReplied).</summary>
public sealed record RecipientQuery(
    IReadOnlyList<Candidate> Watchers,
    IReadOnlyList<Candidate> Participants,
    IReadOnlyList<SubscribedUser> ProjectUsers,
    string Topic,
    Author? Author,
    bool InternalOnly,
    IReadOnlyList<string> InternalDomains);

/// <summary>Who gets the mail, and who was left out and why (shown in the workflow result).</summary>
public sealed record RecipientSet(
    IReadOnlyList<Recipient> Recipients,
    int SkippedWithoutEmail,
    int ExcludedAuthor,
    int ExcludedExternal)
{
    public IEnumerable<Recipient> Internal => Recipients.Where(r => r.Internal);

    public IEnumerable<Recipient> External => Recipients.Where(r => !r.Internal);
}

/// <summary>
/// The recipient rules of TicketCommentedEvent (docs/events.md), as pure functions so they run inside a workflow (no I/O, no
/// clock) and are tested on their own: the union of watchers, participants and subscribed project
/// users; deduplicated by email case-insensitively; the author never notified; an internal note
/// goes to internal people only; people without a visible email are skipped and counted.
/// </summary>
public static class RecipientRules
{
    public static RecipientSet Resolve(RecipientQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var candidates = query.Watchers
            .Concat(query.Participants)
            .Concat(query.ProjectUsers
                .Where(u => PlatformTopics.Holds(u.Subscriptions, query.Topic))
                .Select(u => new Candidate(u.Email, u.Name)));

        var recipients = new List<Recipient>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var withoutEmail = 0;
        var author = 0;
        var external = 0;
        foreach (var candidate in candidates)
        {
            if (query.Author is { } writer && IsAuthor(candidate, writer))
            {
                // Counted once per distinct person: the author often watches their own ticket twice over.
                if (seen.Add(candidate.Email ?? $"account:{candidate.AccountId}"))
                {
                    author++;
                }

                continue;
            }

            var email = candidate.Email?.Trim();
            if (string.IsNullOrEmpty(email))
            {
                withoutEmail++;
                continue;
            }

            if (!seen.Add(email))
            {
                continue;
            }

            var isInternal = IsInternal(email, query.InternalDomains);
            if (query.InternalOnly && !isInternal)
            {
                external++;
                continue;
            }

            recipients.Add(new Recipient(email, candidate.Name, isInternal));
        }

        return new RecipientSet(recipients, withoutEmail, author, external);
    }

    /// <summary>True when the address's domain is one of <paramref name="internalDomains"/> (case-insensitive).</summary>
    public static bool IsInternal(string email, IReadOnlyList<string> internalDomains)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(internalDomains);
        var at = email.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var domain = email[(at + 1)..];
        return internalDomains.Any(d => string.Equals(d.TrimStart('@'), domain, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsAuthor(Candidate candidate, Author author) =>
        (author.AccountId is { Length: > 0 } id && string.Equals(candidate.AccountId, id, StringComparison.Ordinal))
        || (author.Email is { Length: > 0 } email && string.Equals(candidate.Email?.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
}
