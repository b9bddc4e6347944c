using EventProcessor.Activities.Coalescing;
using EventProcessor.Activities.Email;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Coalescing;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Notifications;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Projects;

/// <summary>What UserProjectAdded did. <c>UserIds</c>: How many user ids the search record now lists. <c>MailSkipped</c>: Why the added user was not mailed, or null when mailed.</summary>
public sealed record UserProjectAddedResult(string ProjectUuid, string UserId, int UserIds, long AlgoliaTaskId, MailOutcome Mail, string? MailSkipped);

/// <summary>
/// Grants search visibility and tells the user: the project's search record gets <c>userIds</c> =
/// the ids of all the project's users as the platform lists them now (sorted, replacing the
/// attribute, so the list is right whatever order add/remove events arrive in); the added user gets
/// <c>project-access-granted</c> (naming the project) if their platform profile subscribes to
/// <c>projectAccess</c> and has an email. A user the platform no longer lists (removed again
/// meanwhile) is not mailed, and the result says why. The search write and the mail run in parallel.
/// </summary>
[Workflow]
public sealed class UserProjectAddedEventWorkflow : IEventWorkflow<UserProjectAddedDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<UserProjectAddedResult> RunAsync(EventInput<UserProjectAddedDetail> input)
    {
        var (projectUuid, userId) = (input.Detail.ProjectUuid, input.Detail.UserId);
        var users = PlatformLookups.ProjectUsersAsync(projectUuid);
        var project = PlatformLookups.ProjectAsync(projectUuid);
        await Workflow.WhenAllAsync(users, project);

        var userIds = ProjectSearch.UserIds(await users);
        // userIds in search is coalesced (the ids just read go with the request; of a burst the latest read is written); the mail stays this event's own.
        var write = Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? Coalesced.ProjectAttributesAsync(sync, projectUuid, input.EventId, ProjectSearchParts.Users, () => ProjectSearch.UpdateAsync(projectUuid, new { userIds }, "the user ids"), userIds)
            : ProjectSearch.UpdateAsync(projectUuid, new { userIds }, "the user ids");
        var added = (await users).FirstOrDefault(u => string.Equals(u.UserId, userId, StringComparison.Ordinal));
        var skipped = added switch
        {
            null => $"User {userId} is not among the users of project {(await project).Name} any more.",
            { Email: null or "" } => $"User {userId} has no email.",
            _ when !added.IsSubscribedTo(PlatformTopics.ProjectAccess) => $"User {userId} is not subscribed to {PlatformTopics.ProjectAccess}.",
            _ => null,
        };
        var mail = Task.FromResult(MailOutcome.Nobody);
        if (skipped is null)
        {
            var name = (await project).Name;
            mail = Mailer.SendAsync(
                input.EventId,
                [new EmailRecipient(added!.Email!, added.Name)],
                new ProjectAccessGrantedMail(name),
                name);
        }

        await Workflow.WhenAllAsync(write, mail);
        return new UserProjectAddedResult(projectUuid, userId, userIds.Count, (await write).TaskId, await mail, skipped);
    }
}
