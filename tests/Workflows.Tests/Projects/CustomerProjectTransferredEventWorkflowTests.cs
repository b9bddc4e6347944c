using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Projects;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Projects;

[Collection(TemporalCollection.Name)]
public sealed class CustomerProjectTransferredEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "CustomerProjectTransferredEvent";
    private static readonly string[] Owners = ["finance@acme-holding.com", "owner@acme-retail.com"];

    [Fact]
    public async Task The_search_record_moves_to_the_new_account_and_both_owners_are_told()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<ProjectTransferred>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1, smtp: 2);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.AccountPath("acc-1001")));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.AccountPath("acc-2002")));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid)));
        Assert.Equal("acc-2002", (string?)CatalogScenario.SearchRecord(harness.Downstream)["accountId"]);
        var mails = harness.Downstream.Smtp.Messages;
        Assert.Equal(Owners, mails.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Single(m.To));
        Assert.All(mails, m => Assert.Equal($"The project {CatalogScenario.ProjectName} was transferred to Acme Holding", m.Subject));
        Assert.All(mails, m => Assert.Contains("from the account Acme Retail GmbH to the account Acme Holding", m.Text, StringComparison.Ordinal));
        Assert.Equal(("acc-2002", 2, 0), (result.AccountId, result.Mail.Mailed.Count, result.OwnersWithoutEmail));
    }

    [Fact]
    public async Task A_platform_outage_is_retried_and_each_owner_is_mailed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.AccountPath("acc-1001"), 503, retryAfterSeconds: 1);
        harness.Downstream.Smtp.FailNextTransactions(1, after: 1);

        var result = await harness.RunAsync<ProjectTransferred>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 4, algolia: 1, smtp: 2);
        Assert.Equal(Owners, harness.Downstream.Smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal));
        Assert.Equal(2, result.Mail.Mailed.Count + result.Mail.AlreadyMailed.Count);
    }

    [Fact]
    public async Task An_unknown_new_account_fails_clearly_after_search_is_right_and_before_any_mail()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.AccountPath("acc-2002"), 404, times: 100, error: "Account not found", code: "not_found");

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "AccountNotFound", "Account acc-2002 (new account) does not exist on the platform");
        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1);
        Assert.Equal("acc-2002", (string?)CatalogScenario.SearchRecord(harness.Downstream)["accountId"]);
        Assert.Empty(harness.Downstream.Smtp.Messages);
    }
}
