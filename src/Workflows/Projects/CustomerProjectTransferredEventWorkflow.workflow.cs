using EventProcessor.Activities.Algolia;
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

/// <summary>What CustomerProjectTransferred did. <c>AccountId</c>: The account written to search: the project's account as the platform has it now. <c>OwnersWithoutEmail</c>: Account owners that could not be mailed (the account has no owner email).</summary>
public sealed record ProjectTransferred(string ProjectUuid, string AccountId, long AlgoliaTaskId, MailOutcome Mail, int OwnersWithoutEmail);

/// <summary>
/// Moves a project's search record to its new account and tells both accounts. <c>accountId</c> is
/// the project's account as the platform reports it now (normally <c>toAccountId</c>; after a later
/// transfer, that later account), so transfers processed out of order never leave a stale account.
/// The owners are the <c>ownerEmail</c> of the two accounts (<c>GET /api/accounts/{id}</c>); they get
/// <c>project-transferred</c> naming the project and both accounts, in one email activity (one mail
/// when both accounts have the same owner; an account without an owner email is counted).
/// The account is written to search as soon as the project is read (in parallel with the account
/// reads), so an account that cannot be read fails the run after search is right but before any mail.
/// </summary>
[Workflow]
public sealed class CustomerProjectTransferredEventWorkflow : IEventWorkflow<CustomerProjectTransferredDetail>
{
    private readonly SyncCompletion sync = new();

    /// <summary>The project's search sync answers here once a write covers this event's change.</summary>
    [WorkflowSignal(SyncCompletion.CompletedSignal)]
    public Task SyncCompletedAsync(SyncOutcome outcome) => sync.OnCompletedAsync(outcome);

    [WorkflowRun]
    public async Task<ProjectTransferred> RunAsync(EventInput<CustomerProjectTransferredDetail> input)
    {
        var detail = input.Detail;
        var project = PlatformLookups.ProjectAsync(detail.ProjectUuid);
        var from = PlatformLookups.AccountAsync(detail.FromAccountId, "previous account");
        var to = PlatformLookups.AccountAsync(detail.ToAccountId, "new account");
        // The account in search is coalesced with the project's other changes (the account just read goes with the request); the mail is this event's own.
        var write = Workflow.Patched(Coalesced.ProjectSearchPatch)
            ? WriteAccountCoalescedAsync(detail.ProjectUuid, project, input.EventId)
            : WriteAccountAsync(detail.ProjectUuid, project);
        await Workflow.WhenAllAsync(project, from, to, write);

        var (p, previous, next) = (await project, await from, await to);
        var owners = new[] { previous.OwnerEmail, next.OwnerEmail };
        var recipients = owners
            .Where(e => !string.IsNullOrWhiteSpace(e))
            .Select(e => e!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(e => new EmailRecipient(e))
            .ToList();
        var mail = await Mailer.SendAsync(
            input.EventId,
            recipients,
            new ProjectTransferredMail(p.Name, previous.Name, next.Name),
            p.Name);
        return new ProjectTransferred(detail.ProjectUuid, p.AccountId, (await write).TaskId, mail, owners.Count(string.IsNullOrWhiteSpace));
    }

    /// <summary>Hands the account to the project's search sync as soon as the project is read, and waits for the write.</summary>
    private async Task<AlgoliaWriteResult> WriteAccountCoalescedAsync(string projectUuid, Task<PlatformProject> project, string eventId)
    {
        var accountId = (await project).AccountId;
        return await Coalesced.ProjectAttributesAsync(sync, projectUuid, eventId, ProjectSearchParts.Account, () => WriteAccountAsync(projectUuid, project), accountId);
    }

    /// <summary>Writes the account as soon as the project is read, so search is right even when an account cannot be read for the mail.</summary>
    private static async Task<AlgoliaWriteResult> WriteAccountAsync(string projectUuid, Task<PlatformProject> project) =>
        await ProjectSearch.UpdateAsync(projectUuid, new { accountId = (await project).AccountId }, "the account");
}
