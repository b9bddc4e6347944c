using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Integrations.Tests.Support;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Testing;

namespace EventProcessor.Activities.Integrations.Tests;

public sealed class AlgoliaActivitiesTests : IDisposable
{
    private const string Index = "projects_test";
    private const string ProjectUuid = "3f2b8c1e-7a4d-4c3b-9e1f-2a5b6c7d8e9f";

    private readonly AlgoliaStandIn algolia = new();

    public void Dispose() => algolia.Dispose();

    [Fact]
    public async Task Partial_update_sends_the_documented_request_and_reads_the_answer()
    {
        algolia.Stub.Record(Index, ProjectUuid, new JsonObject { ["name"] = "Shop crawler", ["reports"] = new JsonArray("r-1") });

        var result = await Run(a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { reports = new[] { new { id = "r-1", name = "Daily" } } })));

        var request = Assert.Single(algolia.Server.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Equal("false", request.Query!["createIfNotExists"].Single());
        Assert.Equal(AlgoliaStub.DefaultApplicationId, StubJson.Header(request, "x-algolia-application-id"));
        Assert.Equal(AlgoliaStub.DefaultApiKey, StubJson.Header(request, "x-algolia-api-key"));
        Assert.Equal("""{"reports":[{"id":"r-1","name":"Daily"}]}""", request.Body);
        Assert.Equal(ProjectUuid, result.ObjectId);
        Assert.True(result.TaskId > 0);
        Assert.NotNull(result.UpdatedAt);
        Assert.Equal(["reports"], result.Attributes);
    }

    [Fact]
    public async Task Running_the_partial_update_twice_replaces_the_array_and_keeps_other_attributes()
    {
        algolia.Stub.Record(Index, ProjectUuid, new JsonObject { ["name"] = "Shop crawler", ["reports"] = new JsonArray("r-1", "r-2", "r-3") });
        var attributes = AlgoliaAttributes.From(new { reports = new[] { "r-4" } });

        await Run(a => a.PartialUpdateProjectAsync(ProjectUuid, attributes));
        await Run(a => a.PartialUpdateProjectAsync(ProjectUuid, attributes));

        var record = algolia.Stub.RecordOf(Index, ProjectUuid)!;
        Assert.Equal("""["r-4"]""", record["reports"]!.ToJsonString());
        Assert.Equal("Shop crawler", record["name"]!.GetValue<string>());
        Assert.Equal(2, algolia.Server.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid)).Count);
    }

    [Fact]
    public async Task Partial_update_of_a_missing_project_does_not_create_a_stub_record()
    {
        var result = await Run(a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" })));

        Assert.Null(algolia.Stub.RecordOf(Index, ProjectUuid));
        Assert.Equal(ProjectUuid, result.ObjectId);
    }

    [Fact]
    public async Task Save_replaces_the_whole_record()
    {
        algolia.Stub.Record(Index, ProjectUuid, new JsonObject { ["name"] = "Old", ["legacy"] = true });

        var result = await Run(a => a.SaveProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { name = "Shop crawler", status = "active", userIds = new[] { "u-1" } })));

        var request = Assert.Single(algolia.Server.ReceivedRequests(AlgoliaStub.ObjectPath(Index, ProjectUuid), "PUT"));
        Assert.Equal($$"""{"name":"Shop crawler","status":"active","userIds":["u-1"],"objectID":"{{ProjectUuid}}"}""", request.Body);
        Assert.Equal(AlgoliaStub.DefaultApiKey, StubJson.Header(request, "x-algolia-api-key"));
        Assert.Equal(
            $$"""{"name":"Shop crawler","status":"active","userIds":["u-1"],"objectID":"{{ProjectUuid}}"}""",
            algolia.Stub.RecordOf(Index, ProjectUuid)!.ToJsonString());
        Assert.Equal(ProjectUuid, result.ObjectId);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Increment")]
    [InlineData("Decrement")]
    public async Task A_non_replayable_operation_is_refused_before_anything_is_sent(string operation)
    {
        var attributes = new Dictionary<string, JsonElement>
        {
            ["reports"] = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["_operation"] = operation, ["value"] = 1 }),
        };

        var failure = await Failures.ExpectAsync(() => Run(a => a.PartialUpdateProjectAsync(ProjectUuid, attributes)), "AlgoliaInvalidRequest", retryable: false);

        Assert.Contains(operation, failure.Message, StringComparison.Ordinal);
        Assert.Empty(algolia.Server.LogEntries);
    }

    [Fact]
    public async Task AddUnique_is_replay_safe_and_allowed()
    {
        algolia.Stub.Record(Index, ProjectUuid, new JsonObject { ["userIds"] = new JsonArray("u-1") });
        var attributes = new Dictionary<string, JsonElement>
        {
            ["userIds"] = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["_operation"] = "AddUnique", ["value"] = "u-2" }),
        };

        await Run(a => a.PartialUpdateProjectAsync(ProjectUuid, attributes));
        await Run(a => a.PartialUpdateProjectAsync(ProjectUuid, attributes));

        Assert.Equal("""["u-1","u-2"]""", algolia.Stub.RecordOf(Index, ProjectUuid)!["userIds"]!.ToJsonString());
    }

    [Fact]
    public async Task An_empty_update_or_an_objectID_attribute_is_refused()
    {
        await Failures.ExpectAsync(() => Run(a => a.PartialUpdateProjectAsync(ProjectUuid, new Dictionary<string, JsonElement>())), "AlgoliaInvalidRequest", retryable: false);
        await Failures.ExpectAsync(
            () => Run(a => a.SaveProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { objectID = "other" }))), "AlgoliaInvalidRequest", retryable: false);
        Assert.Empty(algolia.Server.LogEntries);
    }

    [Fact]
    public async Task A_wrong_api_key_is_a_permanent_failure_carrying_algolias_message_but_not_the_key()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.SaveProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { name = "x" })), apiKey: "wrong-key-123"),
            "AlgoliaForbidden",
            retryable: false);

        Assert.Contains("Invalid Application-ID or API key", failure.Message, StringComparison.Ordinal);
        Assert.Contains(ProjectUuid, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-123", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FailureCase.Standard), MemberType = typeof(FailureCase))]
    public async Task Http_failures_map_to_temporal_failures(FailureCase failureCase)
    {
        ArgumentNullException.ThrowIfNull(failureCase);
        var (body, message) = Failures.ErrorBody("Algolia", failureCase.Status);
        algolia.Server.FailNext(AlgoliaStub.PartialPath(Index, ProjectUuid), failureCase.Status, body, failureCase.RetryAfterSeconds);

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" }))),
            $"Algolia{failureCase.Kind}",
            failureCase.Retryable,
            failureCase.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"partial update of project {ProjectUuid}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_is_retryable()
    {
        algolia.Server.StallNext(AlgoliaStub.PartialPath(Index, ProjectUuid), TimeSpan.FromSeconds(2));

        var failure = await Failures.ExpectAsync(
            () => Run(a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" })), timeoutSeconds: 1),
            "AlgoliaTimeout",
            retryable: true);

        Assert.Contains("within 1 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" })), baseUrl: StubServerExtensions.ClosedLoopbackUrl().ToString()),
            "AlgoliaUnreachable",
            retryable: true);

        Assert.Contains("could not be reached", failure.Message, StringComparison.Ordinal);
    }

    private async Task<T> Run<T>(Func<AlgoliaActivities, Task<T>> activity, string apiKey = AlgoliaStub.DefaultApiKey, string? baseUrl = null, int timeoutSeconds = 10)
    {
        var services = algolia.Product.Build(
            new Dictionary<string, string?>
            {
                ["Algolia:ApplicationId"] = AlgoliaStub.DefaultApplicationId,
                ["Algolia:ApiKey"] = apiKey,
                ["Algolia:BaseUrl"] = baseUrl ?? algolia.Server.Url,
                ["Algolia:ProjectsIndex"] = Index,
                ["Algolia:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        var activities = services.GetRequiredService<AlgoliaActivities>();
        return await new ActivityEnvironment().RunAsync(() => activity(activities));
    }
}
