using EventProcessor.Events.Payloads;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Accounts;
using EventProcessor.Workflows.Tests.Helpers;
using Temporalio.Exceptions;

namespace EventProcessor.Workflows.Tests.Accounts;

[Collection(TemporalCollection.Name)]
public sealed class UserTeamInvitedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "UserTeamInvitedEvent";
    private const string Invitee = "lena.fischer@acme-retail.com";
    private const string AcceptUrl = "https://app.example-platform.com/invites/inv-8812/accept?token=7d2f0c";

    [Fact]
    public async Task The_invitee_is_mailed_the_invitation()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<TeamInvitationSent>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, smtp: 1);
        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal([Invitee], mail.EnvelopeTo);
        Assert.Equal("Maria Lopez invited you to join the team Acme Pricing", mail.Subject);
        Assert.Contains($"Accept the invitation: {AcceptUrl}", mail.Text, StringComparison.Ordinal);
        Assert.Equal([Invitee], result.Mail.Mailed);
    }

    [Fact]
    public async Task A_deferred_mail_is_retried_and_sent_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Smtp.FailNextTransactions(1);

        var result = await harness.RunAsync<TeamInvitationSent>(SampleEvents.Load(Sample));

        Assert.Single(harness.Downstream.Smtp.MessagesTo(Invitee));
        Assert.Equal([Invitee], result.Mail.Mailed);
    }

    [Fact]
    public async Task An_address_the_mail_server_refuses_fails_the_run_naming_it()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        harness.Downstream.Smtp.RejectRecipient(Invitee);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "MailRejected", Invitee, "team-invitation", "team Acme Pricing", "Mailbox unavailable");
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }

    [Fact]
    public async Task A_malformed_accept_link_started_by_hand_fails_the_run_without_showing_it_or_mailing()
    {
        // The trigger refuses such events; a run started by hand (e.g. from Temporal UI) is not validated.
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        var input = new EventInput<UserTeamInvitedDetail>(
            "manual-1", "phoenix-account-service", DateTimeOffset.UnixEpoch, new("inv-8812", Invitee, "Acme Pricing", "javascript:alert('token=7d2f0c')", null));
        var handle = await harness.Client.StartWorkflowAsync(
            (UserTeamInvitedEventWorkflow w) => w.RunAsync(input), new($"UserTeamInvited-manual-{Guid.NewGuid():N}", harness.TaskQueue));

        var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());

        var cause = Downstream.AssertBusinessFailure(failure, "InvalidAcceptUrl", "inv-8812");
        Assert.DoesNotContain("7d2f0c", cause.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }
}
