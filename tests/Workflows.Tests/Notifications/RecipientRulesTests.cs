using EventProcessor.Workflows.Notifications;

namespace EventProcessor.Workflows.Tests.Notifications;

public class RecipientRulesTests
{
    private static readonly string[] Internal = ["example-platform.com"];

    [Fact]
    public void Recipients_are_the_union_of_watchers_participants_and_subscribed_users()
    {
        var set = RecipientRules.Resolve(Query(
            watchers: [new("w@acme.com", "Wanda", "a-1")],
            participants: [new("p@acme.com", "Paul", "a-2")],
            users: [new("u@example-platform.com", "Uma", ["ticketComments"]), new("n@acme.com", "Ned", ["runFailures"])]));

        Assert.Equal(["w@acme.com", "p@acme.com", "u@example-platform.com"], set.Recipients.Select(r => r.Email));
        Assert.Equal(["u@example-platform.com"], set.Internal.Select(r => r.Email));
        Assert.Equal(["w@acme.com", "p@acme.com"], set.External.Select(r => r.Email));
    }

    [Fact]
    public void A_subscription_matches_its_topic_whatever_the_case_as_everywhere_else()
    {
        // One rule with PlatformUser.IsSubscribedTo: TicketCommented (these rules) and
        // ReportRunFailed (ProjectSubscribers) must agree on who is subscribed.
        var set = RecipientRules.Resolve(Query(users: [new("u@example-platform.com", "Uma", ["TicketComments"])]));

        Assert.Equal(["u@example-platform.com"], set.Recipients.Select(r => r.Email));
        Assert.True(new EventProcessor.Activities.Platform.PlatformUser("u-1", "u@example-platform.com", "Uma", ["TicketComments"]).IsSubscribedTo("ticketComments"));
    }

    [Fact]
    public void Duplicate_emails_in_different_case_are_mailed_once()
    {
        var set = RecipientRules.Resolve(Query(
            watchers: [new("Maria.Lopez@Acme.com", "Maria", "a-1")],
            participants: [new("maria.lopez@acme.com", "Maria L.", "a-1")],
            users: [new("MARIA.LOPEZ@ACME.COM", null, ["ticketComments"])]));

        var only = Assert.Single(set.Recipients);
        Assert.Equal("Maria.Lopez@Acme.com", only.Email);
    }

    [Fact]
    public void The_author_is_never_notified_whether_matched_by_account_or_email()
    {
        var set = RecipientRules.Resolve(Query(
            watchers: [new("author@acme.com", "Author", "a-9"), new("other@acme.com", "Other", "a-2")],
            participants: [new("AUTHOR@acme.com", "Author again", null)],
            author: new Author("a-9", null)));

        Assert.Equal(["other@acme.com"], set.Recipients.Select(r => r.Email));
        Assert.Equal(1, set.ExcludedAuthor);
    }

    [Fact]
    public void An_internal_note_reaches_internal_people_only()
    {
        var set = RecipientRules.Resolve(Query(
            watchers: [new("agent@example-platform.com", "Agent", "a-1"), new("customer@acme.com", "Customer", "a-2")],
            internalOnly: true));

        Assert.Equal(["agent@example-platform.com"], set.Recipients.Select(r => r.Email));
        Assert.Equal(1, set.ExcludedExternal);
    }

    [Fact]
    public void People_without_a_visible_email_are_skipped_and_counted()
    {
        var set = RecipientRules.Resolve(Query(
            watchers: [new(null, "Hidden", "a-1"), new("  ", "Blank", "a-2"), new("seen@acme.com", "Seen", "a-3")]));

        Assert.Equal(["seen@acme.com"], set.Recipients.Select(r => r.Email));
        Assert.Equal(2, set.SkippedWithoutEmail);
    }

    [Fact]
    public void No_candidates_means_no_recipients()
    {
        var set = RecipientRules.Resolve(Query());

        Assert.Empty(set.Recipients);
        Assert.Equal(0, set.SkippedWithoutEmail + set.ExcludedAuthor + set.ExcludedExternal);
    }

    [Theory]
    [InlineData("a@example-platform.com", true)]
    [InlineData("a@EXAMPLE-PLATFORM.COM", true)]
    [InlineData("a@sub.example-platform.com", false)]
    [InlineData("a@example-platform.com.evil.io", false)]
    [InlineData("no-at-sign", false)]
    public void Internal_means_the_domain_is_configured(string email, bool expected) =>
        Assert.Equal(expected, RecipientRules.IsInternal(email, ["@example-platform.com"]));

    private static RecipientQuery Query(
        Candidate[]? watchers = null, Candidate[]? participants = null, SubscribedUser[]? users = null, Author? author = null, bool internalOnly = false) =>
        new(watchers ?? [], participants ?? [], users ?? [], "ticketComments", author, internalOnly, Internal);
}
