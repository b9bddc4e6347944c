using EventProcessor.Activities.Email;
using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Accounts;

/// <summary>What UserTeamInvited did.</summary>
public sealed record TeamInvitationSent(string InviteId, string TeamName, MailOutcome Mail);

/// <summary>
/// Mails <c>team-invitation</c> (team name, inviter, accept link) to the invitee. The accept link
/// carries a token, so a malformed one fails the run without being shown; an address the mail server
/// refuses for good fails the run (<c>MailRejected</c>): the invitation reached nobody.
/// </summary>
[Workflow]
public sealed class UserTeamInvitedEventWorkflow : IEventWorkflow<UserTeamInvitedDetail>
{
    [WorkflowRun]
    public async Task<TeamInvitationSent> RunAsync(EventInput<UserTeamInvitedDetail> input)
    {
        var detail = input.Detail;
        var accept = PersonalMail.Link(detail.AcceptUrl, "InvalidAcceptUrl", $"accept link of invitation {detail.InviteId}");
        var mail = await PersonalMail.SendAsync(
            input.EventId,
            new EmailRecipient(detail.InviteeEmail),
            new TeamInvitationMail(detail.TeamName, accept, detail.InviterName),
            $"team {detail.TeamName}");
        return new TeamInvitationSent(detail.InviteId, detail.TeamName, mail);
    }
}
