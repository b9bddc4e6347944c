using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Email;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Lookups;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Notifications;

/// <summary>The people around a ticket: Jira watchers and participants, and the linked platform project.</summary>
public sealed record TicketAudience(JiraTicketPeople People, PlatformProject Project);

/// <summary>What to tell the people around a ticket, and whom to leave out.</summary>
public sealed record ConversationMessage(string TicketKey, string EventId, Author Author, string AuthorName, string Body, bool InternalNote);

/// <summary>The mail about a ticket's new comment (TicketCommented and ContactMessageReplied send it through <see cref="TicketConversation"/>).</summary>
public sealed record TicketCommentedMail(
    string TicketKey, string CommentAuthor, string CommentBody, bool InternalNote, string? TicketSummary = null, Uri? TicketUrl = null) : IMailModel
{
    public static string Template => EmailTemplates.TicketCommented;
}

/// <summary>Who was notified about a ticket conversation, and who was left out and why.</summary>
public sealed record ConversationNotified(
    string ProjectUuid,
    int Recipients,
    MailOutcome Mail,
    int SkippedWithoutEmail,
    int ExcludedAuthor,
    int ExcludedExternal);

/// <summary>
/// The notification steps TicketCommented and ContactMessageReplied share: fetch the ticket's
/// watchers and participants together with its platform project, then the project's users, then
/// mail everyone the recipient rules keep, in a single email activity.
/// </summary>
public static class TicketConversation
{
    /// <summary>Fetches watchers/participants and the linked project in parallel; fails the run when no project is linked.</summary>
    public static async Task<TicketAudience> FetchAudienceAsync(string ticketKey)
    {
        var people = Workflow.ExecuteActivityAsync(
            (JiraActivities a) => a.GetTicketPeopleAsync(ticketKey),
            ActivityProfiles.Jira($"Fetch watchers and participants of {ticketKey}"));
        var project = PlatformLookups.TicketProjectAsync(ticketKey);
        await Workflow.WhenAllAsync(people, project);
        var linked = await project ?? throw BusinessFailures.Fail(
            "TicketHasNoProject", $"Ticket {ticketKey} has no linked platform project, so its subscribers cannot be found.");
        return new TicketAudience(await people, linked);
    }

    public static async Task<ConversationNotified> NotifyAsync(ConversationMessage message, TicketAudience audience, NotificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(policy);
        var projectUuid = audience.Project.Uuid;
        var users = await PlatformLookups.ProjectUsersAsync(projectUuid);

        var set = RecipientRules.Resolve(new RecipientQuery(
            Candidates(audience.People.Watchers),
            Candidates(audience.People.Participants),
            [.. users.Where(u => !string.IsNullOrWhiteSpace(u.Email)).Select(u => new SubscribedUser(u.Email!, u.Name, u.Subscriptions ?? []))],
            PlatformTopics.TicketComments,
            message.Author,
            message.InternalNote,
            policy.InternalDomains));

        var mail = await Mailer.SendAsync(
            message.EventId,
            [.. set.Recipients.Select(r => new EmailRecipient(r.Email, r.Name))],
            new TicketCommentedMail(message.TicketKey, message.AuthorName, message.Body, message.InternalNote),
            message.TicketKey);
        return new ConversationNotified(projectUuid, set.Recipients.Count, mail, set.SkippedWithoutEmail, set.ExcludedAuthor, set.ExcludedExternal);
    }

    private static List<Candidate> Candidates(IEnumerable<JiraPerson> people) =>
        [.. people.Select(p => new Candidate(p.Email, p.DisplayName, p.AccountId))];
}
