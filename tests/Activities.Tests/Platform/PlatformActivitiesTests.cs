using EventProcessor.Activities.Platform;
using EventProcessor.Activities.Tests.Support;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace EventProcessor.Activities.Tests.Platform;

/// <summary>Every platform call through PlatformActivities: the exact request, the parsed answer, the failure mapping.</summary>
public sealed class PlatformActivitiesTests : IAsyncLifetime
{
    private const string Bearer = $"Bearer {PlatformStub.DefaultToken}";
    private const string ProjectUuid = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";

    private static readonly StubPlatformProject Project = new(
        ProjectUuid, "Acme price monitor", "active", "acc-1001", "owner@acme.example", "enterprise",
        new DateTimeOffset(2026, 11, 24, 16, 45, 0, TimeSpan.Zero),
        new Dictionary<string, object?> { ["region"] = "eu", ["tags"] = new[] { "retail", "pricing" } });

    private WorkflowHarness harness = null!;
    private readonly ActivityEnvironment environment = new();

    private PlatformActivities Activities => harness.Get<PlatformActivities>();

    [Fact]
    public async Task GetProject_parses_every_field_and_keeps_metadata_as_json()
    {
        harness.Downstream.Platform.Project(Project);

        var project = await environment.RunAsync(() => Activities.GetProjectAsync(ProjectUuid));

        AssertGet(PlatformStub.ProjectPath(ProjectUuid));
        Assert.Equal(ProjectUuid, project.Uuid);
        Assert.Equal(("Acme price monitor", "active", "acc-1001", "owner@acme.example", "enterprise"), (project.Name, project.Status, project.AccountId, project.OwnerEmail, project.Plan));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 45, 0, TimeSpan.Zero), project.UpdatedAt);
        Json.Equal("""{"region":"eu","tags":["retail","pricing"]}""", project.Metadata!.Value.GetRawText());
    }

    [Fact]
    public async Task GetProjectReports_lists_the_reports()
    {
        harness.Downstream.Platform.ProjectReports(
            ProjectUuid,
            new StubPlatformReport("r-1", ProjectUuid, "Daily prices", "active", new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)),
            new StubPlatformReport("r-2", ProjectUuid, "Weekly stock", "paused"));

        var reports = await environment.RunAsync(() => Activities.GetProjectReportsAsync(ProjectUuid));

        AssertGet(PlatformStub.ProjectReportsPath(ProjectUuid));
        Assert.Equal(
            [new PlatformReportSummary("r-1", "Daily prices", "active", new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)),
             new PlatformReportSummary("r-2", "Weekly stock", "paused", new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero))],
            reports);
    }

    [Fact]
    public async Task GetProjectUsers_lists_users_with_subscriptions_and_tolerates_a_missing_email()
    {
        harness.Downstream.Platform.ProjectUsers(
            ProjectUuid,
            new StubPlatformUser("u-1", "ana@acme.example", "Ana Lima", ["ticketComments", "runFailures"]),
            new StubPlatformUser("u-2", null, "No Mail", ["ticketComments"]));

        var users = await environment.RunAsync(() => Activities.GetProjectUsersAsync(ProjectUuid));

        AssertGet(PlatformStub.ProjectUsersPath(ProjectUuid));
        Assert.Equal(["u-1", "u-2"], users.Select(u => u.UserId));
        Assert.Equal("ana@acme.example", users[0].Email);
        Assert.Null(users[1].Email);
        Assert.True(users[0].IsSubscribedTo(PlatformTopics.RunFailures));
        Assert.False(users[1].IsSubscribedTo(PlatformTopics.RunFailures));
    }

    [Fact]
    public async Task GetReport_parses_the_report()
    {
        harness.Downstream.Platform.Report(new StubPlatformReport("r-9", ProjectUuid, "Daily prices", "active", new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero)));

        var report = await environment.RunAsync(() => Activities.GetReportAsync("r-9"));

        AssertGet(PlatformStub.ReportPath("r-9"));
        Assert.Equal(new PlatformReport("r-9", ProjectUuid, "Daily prices", "active", new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero)), report);
    }

    [Fact]
    public async Task GetTicketProject_returns_the_linked_project()
    {
        harness.Downstream.Platform.TicketProject("SUP-1234", Project);

        var project = await environment.RunAsync(() => Activities.GetTicketProjectAsync("SUP-1234"));

        AssertGet(PlatformStub.TicketProjectPath("SUP-1234"));
        Assert.Equal(ProjectUuid, project!.Uuid);
    }

    [Fact]
    public async Task GetTicketProject_of_an_unlinked_ticket_is_null_not_a_failure()
    {
        var project = await environment.RunAsync(() => Activities.GetTicketProjectAsync("SUP-9999"));

        AssertGet(PlatformStub.TicketProjectPath("SUP-9999"));
        Assert.Null(project);
    }

    [Fact]
    public async Task GetTicketProject_with_an_unreadable_answer_fails_instead_of_reporting_no_project()
    {
        harness.Downstream.PlatformServer.Given(WireMock.RequestBuilders.Request.Create().WithPath(PlatformStub.TicketProjectPath("SUP-1")).UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("<html>proxy login</html>"));

        await Assert.ThrowsAnyAsync<Exception>(() => environment.RunAsync(() => Activities.GetTicketProjectAsync("SUP-1")));
    }

    [Fact]
    public async Task GetUser_parses_the_user()
    {
        harness.Downstream.Platform.User(new StubPlatformUser("u-7", "bo@acme.example", "Bo Berg", ["productUpdates"]));

        var user = await environment.RunAsync(() => Activities.GetUserAsync("u-7"));

        AssertGet(PlatformStub.UserPath("u-7"));
        Assert.Equal(("u-7", "bo@acme.example", "Bo Berg"), (user.UserId, user.Email, user.Name));
        Assert.Equal(["productUpdates"], user.Subscriptions);
    }

    [Fact]
    public async Task GetAccount_parses_the_account()
    {
        harness.Downstream.Platform.Account(new StubPlatformAccount("acc-1001", "Acme Corp", "owner@acme.example"));

        var account = await environment.RunAsync(() => Activities.GetAccountAsync("acc-1001"));

        AssertGet(PlatformStub.AccountPath("acc-1001"));
        Assert.Equal(new PlatformAccount("acc-1001", "Acme Corp", "owner@acme.example"), account);
    }

    [Fact]
    public async Task SyncReportSchema_posts_and_returns_the_job_id_and_is_safe_to_repeat()
    {
        harness.Downstream.Platform.SchemaSync("r-5", "job-555");

        var first = await environment.RunAsync(() => Activities.SyncReportSchemaAsync("r-5"));
        var second = await environment.RunAsync(() => Activities.SyncReportSchemaAsync("r-5"));

        Assert.Equal(("job-555", "job-555"), (first, second));
        var requests = harness.Downstream.PlatformServer.ReceivedRequests(PlatformStub.SchemaSyncPath("r-5"), "POST");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(Bearer, Json.Header(r, "Authorization")));
        Assert.Equal(202, harness.Downstream.PlatformServer.LogEntries.First(e => e.RequestMessage.Path == PlatformStub.SchemaSyncPath("r-5")).ResponseMessage.StatusCode);
    }

    [Theory]
    [InlineData(400, "PlatformBadRequest")]
    [InlineData(403, "PlatformForbidden")]
    [InlineData(404, "PlatformNotFound")]
    [InlineData(409, "PlatformConflict")]
    public async Task Client_errors_are_permanent_and_quote_the_platforms_error_and_code(int status, string errorType)
    {
        harness.Downstream.Platform.Project(Project).FailNext(PlatformStub.ProjectPath(ProjectUuid), status, error: "Project is being deleted");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.GetProjectAsync(ProjectUuid)));

        Assert.True(failure.NonRetryable);
        Assert.Equal(errorType, failure.ErrorType);
        Assert.StartsWith($"Platform answered {status} ", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"to fetch project {ProjectUuid}: Project is being deleted (code ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_project_is_PlatformNotFound()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.GetProjectAsync("no-such-project")));

        Assert.True(failure.NonRetryable);
        Assert.Equal("PlatformNotFound", failure.ErrorType);
        Assert.Equal(
            "Platform answered 404 Not Found to fetch project no-such-project: Not found (code not_found) (it does not exist, or the account cannot see it).",
            failure.Message);
    }

    [Fact]
    public async Task A_refused_token_is_a_permanent_PlatformUnauthorized_without_the_token_in_the_message()
    {
        using var otherPlatform = WireMock.Server.WireMockServer.Start();
        new PlatformStub(otherPlatform, "the-platform-expects-another-token").Project(Project);
        await using var client = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Platform:BaseUrl"] = otherPlatform.Url });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => client.Get<PlatformActivities>().GetProjectAsync(ProjectUuid)));

        Assert.True(failure.NonRetryable);
        Assert.Equal("PlatformUnauthorized", failure.ErrorType);
        Assert.Contains("Missing or invalid bearer token (code unauthorized)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PlatformStub.DefaultToken, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limited_is_retried_after_Retry_After_and_then_succeeds()
    {
        harness.Downstream.Platform.Project(Project).FailNext(PlatformStub.ProjectPath(ProjectUuid), 429, retryAfterSeconds: 12);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.GetProjectAsync(ProjectUuid)));
        var retried = await new ActivityEnvironment { Info = environment.Info with { Attempt = 2 } }.RunAsync(() => Activities.GetProjectAsync(ProjectUuid));

        Assert.False(failure.NonRetryable);
        Assert.Equal("PlatformRateLimited", failure.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(12), failure.NextRetryDelay);
        Assert.Equal(ProjectUuid, retried.Uuid);
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(503, 30)]
    public async Task Server_errors_are_retryable(int status, int? retryAfter)
    {
        harness.Downstream.Platform.FailNext(PlatformStub.SchemaSyncPath("r-1"), status, retryAfter);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.SyncReportSchemaAsync("r-1")));

        Assert.False(failure.NonRetryable);
        Assert.Equal("PlatformServerError", failure.ErrorType);
        Assert.Equal(retryAfter is { } s ? TimeSpan.FromSeconds(s) : null, failure.NextRetryDelay);
        Assert.Contains("to sync the generated schema of report r-1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_platform_is_a_retryable_PlatformTimeout()
    {
        await using var slow = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Platform:TimeoutSeconds"] = "1" });
        slow.Downstream.PlatformServer.StallNext(PlatformStub.UserPath("u-1"), TimeSpan.FromSeconds(3));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => slow.Get<PlatformActivities>().GetUserAsync("u-1")));

        Assert.False(failure.NonRetryable);
        Assert.Equal("PlatformTimeout", failure.ErrorType);
        Assert.Equal("Platform did not answer within 1 s (fetch user u-1); Temporal will retry.", failure.Message);
    }

    [Fact]
    public async Task An_unreachable_platform_is_a_retryable_PlatformUnreachable()
    {
        await using var down = await WorkflowHarness.StartWithoutWorkerAsync(new Dictionary<string, string?> { ["Platform:BaseUrl"] = StubServerExtensions.ClosedLoopbackUrl().ToString() });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => down.Get<PlatformActivities>().GetAccountAsync("acc-1")));

        Assert.False(failure.NonRetryable);
        Assert.Equal("PlatformUnreachable", failure.ErrorType);
        Assert.Contains("(fetch account acc-1)", failure.Message, StringComparison.Ordinal);
    }

    public async Task InitializeAsync() => harness = await WorkflowHarness.StartWithoutWorkerAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private void AssertGet(string path)
    {
        var request = Assert.Single(harness.Downstream.PlatformServer.ReceivedRequests(path));
        Assert.Equal("GET", request.Method);
        Assert.Equal(Bearer, Json.Header(request, "Authorization"));
        Assert.Empty(Json.QueryOf(request));
        Assert.Null(request.Body);
    }
}
