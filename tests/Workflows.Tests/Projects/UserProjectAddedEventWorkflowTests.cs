using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using EventProcessor.Workflows.Projects;
using EventProcessor.Workflows.Tests.Helpers;

namespace EventProcessor.Workflows.Tests.Projects;

[Collection(TemporalCollection.Name)]
public sealed class UserProjectAddedEventWorkflowTests(TemporalServerFixture temporal)
{
    private const string Sample = "UserProjectAddedEvent";

    [Fact]
    public async Task The_user_ids_are_replaced_in_search_and_the_subscribed_user_is_told()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<UserProjectAddedResult>(parsed);

        await harness.RecordHistoryAsync(parsed, Runs.TestProject);
        Downstream.AssertRequestCounts(harness, platform: 2, algolia: 1, smtp: 1);
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.ProjectPath(CatalogScenario.ProjectUuid)));
        Assert.Single(harness.Downstream.AlgoliaServer.ReceivedRequests(AlgoliaStub.PartialPath(CatalogScenario.Index, CatalogScenario.ProjectUuid)));
        Assert.True(JsonNode.DeepEquals(
            new JsonArray("usr-1", "usr-2", "usr-3", "usr-4410", "usr-5"),
            CatalogScenario.SearchRecord(harness.Downstream)["userIds"]));
        var mail = Assert.Single(harness.Downstream.Smtp.Messages);
        Assert.Equal(["jonas.weber@acme-retail.com"], mail.EnvelopeTo);
        Assert.Contains(CatalogScenario.ProjectName, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Hi Jonas Weber", mail.Text, StringComparison.Ordinal);
        Assert.Equal(["jonas.weber@acme-retail.com"], result.Mail.Mailed);
        Assert.Null(result.MailSkipped);
        Assert.Equal(5, result.UserIds);
    }

    [Fact]
    public async Task A_user_not_subscribed_to_project_access_is_indexed_but_not_mailed()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.ProjectUsers(CatalogScenario.ProjectUuid, CatalogScenario.AddedUser with { Subscriptions = ["runFailures"] });
        var parsed = SampleEvents.Load(Sample);

        var result = await harness.RunAsync<UserProjectAddedResult>(parsed);

        Downstream.AssertRequestCounts(harness, platform: 2, algolia: 1);
        Assert.Contains("not subscribed to projectAccess", result.MailSkipped, StringComparison.Ordinal);
        var history = await harness.Client.GetWorkflowHandle(parsed.WorkflowId).FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.ActivityTaskScheduledEventAttributes?.ActivityType.Name == "SendTemplated");
    }

    [Fact]
    public async Task A_rate_limited_platform_is_retried_and_the_user_mailed_once()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid), 429, retryAfterSeconds: 1);

        var result = await harness.RunAsync<UserProjectAddedResult>(SampleEvents.Load(Sample));

        Downstream.AssertRequestCounts(harness, platform: 3, algolia: 1, smtp: 1);
        Assert.Single(harness.Downstream.Smtp.MessagesTo("jonas.weber@acme-retail.com"));
        Assert.Single(result.Mail.Mailed);
    }

    [Fact]
    public async Task An_unknown_project_fails_clearly_before_search_or_mail()
    {
        await using var harness = await WorkflowHarness.StartAsync(temporal);
        CatalogScenario.Arrange(harness.Downstream);
        harness.Downstream.Platform.FailNext(PlatformStub.ProjectUsersPath(CatalogScenario.ProjectUuid), 404, times: 100);

        var failure = await harness.RunToFailureAsync(SampleEvents.Load(Sample));

        Downstream.AssertBusinessFailure(failure, "ProjectNotFound", $"Project {CatalogScenario.ProjectUuid} does not exist on the platform");
        Downstream.AssertRequestCounts(harness, platform: 2);
        Assert.Null(CatalogScenario.SearchRecord(harness.Downstream)["userIds"]);
    }
}
