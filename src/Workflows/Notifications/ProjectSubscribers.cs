using EventProcessor.Activities.Email;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Lookups;

namespace EventProcessor.Workflows.Notifications;

/// <summary>The users of a project subscribed to a topic, as mail recipients, and how many could not be mailed.</summary>
public sealed record Subscribers(IReadOnlyList<EmailRecipient> Recipients, int WithoutEmail);

/// <summary>
/// Who of a project's users gets a topic's mail ("subscribed" means the user's
/// <c>subscriptions</c> hold the topic, matched case-insensitively): one recipient per email,
/// case-insensitively; subscribed users without an email are counted, not mailed.
/// </summary>
public static class ProjectSubscribers
{
    public static async Task<Subscribers> FetchAsync(string projectUuid, string topic) =>
        Of(await PlatformLookups.ProjectUsersAsync(projectUuid), topic);

    /// <summary>Pure: the subscribers among <paramref name="users"/>.</summary>
    public static Subscribers Of(IEnumerable<PlatformUser> users, string topic)
    {
        ArgumentNullException.ThrowIfNull(users);
        var recipients = new List<EmailRecipient>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var withoutEmail = 0;
        foreach (var user in users.Where(u => u.IsSubscribedTo(topic)))
        {
            var email = user.Email?.Trim();
            if (string.IsNullOrEmpty(email))
            {
                withoutEmail++;
                continue;
            }

            if (seen.Add(email))
            {
                recipients.Add(new EmailRecipient(email, user.Name));
            }
        }

        return new Subscribers(recipients, withoutEmail);
    }
}
