using EventProcessor.DownstreamStubs;

namespace EventProcessor.TestSupport;

/// <summary>
/// A support ticket SUP-1234 of the Acme Retail project: a customer comment, watchers (one of
/// them the author, one without a visible email), a JSM participant, and platform users with and
/// without the <c>ticketComments</c> subscription.
/// </summary>
public static class TicketScenario
{
    public const string TicketKey = "SUP-1234";
    public const string ProjectUuid = "3f6c2a9e-8d41-4b7a-9c1e-5a2d7e0b4c91";

    public static readonly StubJiraUser Author = new("acc-maria", "Maria Lopez", "maria.lopez@acme-retail.com");
    public static readonly StubJiraUser Agent = new("acc-agent", "Sam Agent", "sam.agent@example-platform.com");
    public static readonly StubJiraUser HiddenEmail = new("acc-hidden", "Private Person");
    public static readonly StubJiraUser Participant = new("acc-tom", "Tom Baker", "tom.baker@acme-retail.com");

    public static readonly StubPlatformProject Project = new(ProjectUuid, "Acme Retail price tracking");

    public static readonly StubPlatformUser SubscribedUser = new("usr-1", "lena.fischer@acme-retail.com", "Lena Fischer", ["ticketComments"]);
    public static readonly StubPlatformUser SubscribedInternal = new("usr-2", "ops@example-platform.com", "Ops", ["ticketComments", "runFailures"]);
    public static readonly StubPlatformUser NotSubscribed = new("usr-3", "quiet@acme-retail.com", "Quiet", ["runFailures"]);

    /// <summary>Arranges the ticket with a public comment by <see cref="Author"/> (or an internal note).</summary>
    public static void Arrange(DownstreamStandIns downstream, bool internalNote = false, StubJiraUser? author = null)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        downstream.Jira
            .Issue(new StubJiraIssue(TicketKey, "Export stops at 10k rows", "Waiting for support", "High", Author))
            .LatestComment(TicketKey, new StubJiraComment(
                "10042", author ?? Author, "The export still stops at 10,000 rows.", new DateTimeOffset(2026, 11, 20, 10, 14, 0, TimeSpan.Zero), JsdPublic: !internalNote))
            .Watchers(TicketKey, Author, Agent, HiddenEmail)
            .Participants(TicketKey, Participant);
        downstream.Platform
            .TicketProject(TicketKey, Project)
            .ProjectUsers(ProjectUuid, SubscribedUser, SubscribedInternal, NotSubscribed);
    }
}
