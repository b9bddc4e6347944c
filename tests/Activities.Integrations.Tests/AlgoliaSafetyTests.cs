using System.Text.Json.Nodes;
using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Integrations.Tests.Support;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Testing;
using WireMock.Server;

namespace EventProcessor.Activities.Integrations.Tests;

/// <summary>
/// Algolia's limits and hosts, as Algolia documents them: record size "10 KB to 100 KB, based on
/// your plan (10 KB maximum for the Build plan)", answered "Record ... is too big" (guides/scaling/
/// algolia-service-limits); a partial update of a missing index creates it, so the index is checked
/// with <c>GET /1/indexes/{indexName}/settings</c> (404 when missing); and the retry strategy's
/// fallback hosts <c>{appId}-1/-2/-3.algolianet.com</c>, tried in random order when a host cannot
/// be reached.
/// </summary>
public sealed class AlgoliaSafetyTests : IDisposable
{
    private const string Index = "projects_test";
    private const string ProjectUuid = "3f2b8c1e-7a4d-4c3b-9e1f-2a5b6c7d8e9f";

    private readonly AlgoliaStandIn algolia = new();

    public void Dispose() => algolia.Dispose();

    [Fact]
    public async Task A_record_over_the_plans_size_is_refused_before_sending_naming_the_object_and_its_largest_attribute()
    {
        var document = AlgoliaAttributes.From(new { name = "Shop crawler", description = new string('x', 10_500) });

        var failure = await Failures.ExpectAsync(() => Run(a => a.SaveProjectAsync(ProjectUuid, document)), "AlgoliaRecordTooLarge", retryable: false);

        Assert.Contains($"objectID {ProjectUuid}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"index {Index}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'description'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Algolia:MaxRecordBytes", failure.Message, StringComparison.Ordinal);
        Assert.Empty(algolia.Server.LogEntries);
    }

    [Fact]
    public async Task The_limit_follows_the_plan_setting_and_the_stub_refuses_what_Algolia_refuses()
    {
        var document = AlgoliaAttributes.From(new { description = new string('x', 10_500) });

        // The setting allows a larger plan, but this application's index (the stub) is on the Build plan.
        var failure = await Failures.ExpectAsync(
            () => Run(a => a.SaveProjectAsync(ProjectUuid, document), extra: new() { ["Algolia:MaxRecordBytes"] = "100000" }), "AlgoliaBadRequest", retryable: false);

        Assert.Contains($"Record at the position 0 objectID={ProjectUuid} is too big", failure.Message, StringComparison.Ordinal);
        Assert.Null(algolia.Stub.RecordOf(Index, ProjectUuid));
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_falls_back_to_the_next_host_within_the_same_call()
    {
        algolia.Stub.Record(Index, ProjectUuid, new JsonObject { ["name"] = "Shop crawler" });
        var closed = StubServerExtensions.ClosedLoopbackUrl().ToString();

        var result = await Run(
            a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" })),
            baseUrl: closed,
            extra: new() { ["Algolia:FallbackBaseUrls:0"] = algolia.Server.Url });

        Assert.Equal(ProjectUuid, result.ObjectId);
        var request = Assert.Single(algolia.Server.ReceivedRequests(AlgoliaStub.PartialPath(Index, ProjectUuid), "POST"));
        Assert.Equal("""{"status":"active"}""", request.Body);
        Assert.Equal(AlgoliaStub.DefaultApiKey, StubJson.Header(request, "x-algolia-api-key"));
        Assert.Equal("false", request.Query!["createIfNotExists"].Single());
        Assert.Equal("active", algolia.Stub.RecordOf(Index, ProjectUuid)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_answer_is_never_sent_to_another_host_and_retrying_stays_with_Temporal()
    {
        using var fallback = WireMockServer.Start();
        _ = new AlgoliaStub(fallback);
        algolia.Server.FailNext(AlgoliaStub.PartialPath(Index, ProjectUuid), 503, """{"message":"Service unavailable","status":503}""");

        await Failures.ExpectAsync(
            () => Run(a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" })), extra: new() { ["Algolia:FallbackBaseUrls:0"] = fallback.Url! }),
            "AlgoliaServerError",
            retryable: true);

        Assert.Single(algolia.Server.LogEntries);
        Assert.Empty(fallback.LogEntries);
    }

    [Fact]
    public async Task When_no_host_can_be_reached_the_call_fails_retryably()
    {
        var failure = await Failures.ExpectAsync(
            () => Run(
                a => a.PartialUpdateProjectAsync(ProjectUuid, AlgoliaAttributes.From(new { status = "active" })),
                baseUrl: StubServerExtensions.ClosedLoopbackUrl().ToString(),
                extra: new() { ["Algolia:FallbackBaseUrls:0"] = StubServerExtensions.ClosedLoopbackUrl().ToString() }),
            "AlgoliaUnreachable",
            retryable: true);

        Assert.Contains("could not be reached", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_base_url_the_documented_fallback_hosts_are_used()
    {
        var options = new AlgoliaOptions { ApplicationId = "LATENCY", ApiKey = "k", ProjectsIndex = "p" };

        Assert.Equal(new Uri("https://latency.algolia.net/"), options.BaseUri);
        Assert.Equal(
            ["https://latency-1.algolianet.com/", "https://latency-2.algolianet.com/", "https://latency-3.algolianet.com/"],
            options.FallbackBaseUris.Select(u => u.ToString()));
    }

    [Fact]
    public async Task The_index_check_fails_naming_a_missing_index_and_passes_once_it_exists()
    {
        var check = Services().GetRequiredService<AlgoliaIndexCheck>();

        var missing = await check.CheckAsync(CancellationToken.None);
        algolia.Stub.Index(Index);
        var present = await check.CheckAsync(CancellationToken.None);

        Assert.False(missing.Ready);
        Assert.Contains($"Algolia index '{Index}' does not exist", missing.Reason, StringComparison.Ordinal);
        Assert.Contains("404", missing.Reason, StringComparison.Ordinal);
        Assert.True(present.Ready);
        Assert.Equal(2, algolia.Server.ReceivedRequests($"/1/indexes/{Index}/settings", "GET").Count);
    }

    [Fact]
    public async Task A_wrong_key_makes_the_index_check_fail_with_algolias_reason()
    {
        algolia.Stub.Index(Index);
        var check = Services(apiKey: "wrong").GetRequiredService<AlgoliaIndexCheck>();

        var result = await check.CheckAsync(CancellationToken.None);

        Assert.False(result.Ready);
        Assert.Contains("Invalid Application-ID or API key", result.Reason, StringComparison.Ordinal);
    }

    private IServiceProvider Services(string apiKey = AlgoliaStub.DefaultApiKey, string? baseUrl = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Algolia:ApplicationId"] = AlgoliaStub.DefaultApplicationId,
            ["Algolia:ApiKey"] = apiKey,
            ["Algolia:BaseUrl"] = baseUrl ?? algolia.Server.Url,
            ["Algolia:ProjectsIndex"] = Index,
            ["Algolia:TimeoutSeconds"] = "30",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return algolia.Product.Build(settings);
    }

    private Task<T> Run<T>(Func<AlgoliaActivities, Task<T>> activity, string? baseUrl = null, Dictionary<string, string?>? extra = null)
    {
        var activities = Services(baseUrl: baseUrl, extra: extra).GetRequiredService<AlgoliaActivities>();
        return new ActivityEnvironment().RunAsync(() => activity(activities));
    }
}
