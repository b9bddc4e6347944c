using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventProcessor.Activities.Algolia;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Exceptions;
using Temporalio.Testing;
using WireMock.Server;

namespace EventProcessor.Activities.Tests.Algolia;

/// <summary>
/// The browse of the projects index, through <see cref="AlgoliaActivities.BrowseProjectsAsync"/> and
/// against the stand-in. What the stand-in must do is Algolia's documented browse (OpenAPI spec
/// algolia/api-clients-automation, specs/search/paths/search/browse.yml and
/// specs/search/common/schemas/BrowseParams.yml): <c>POST /1/indexes/{indexName}/browse</c> with the
/// <c>browse</c> ACL, up to 1,000 records a request, a <c>cursor</c> in each answer that fetches the
/// next page and none on the last page, <c>attributesToRetrieve</c> limiting the attributes, and
/// 404 for a missing index.
/// </summary>
public sealed class AlgoliaBrowseTests : IDisposable
{
    private const string Index = "projects_browse";
    private static readonly string[] Compared = ["name", "status"];

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly AlgoliaStub stub;
    private readonly ServiceProvider services;
    private readonly ActivityEnvironment environment = new();

    public AlgoliaBrowseTests()
    {
        stub = new AlgoliaStub(server);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Algolia:ApplicationId"] = AlgoliaStub.DefaultApplicationId,
            ["Algolia:ApiKey"] = AlgoliaStub.DefaultApiKey,
            ["Algolia:BaseUrl"] = server.Url,
            ["Algolia:ProjectsIndex"] = Index,
        }).Build();
        services = new ServiceCollection().AddAlgolia(configuration).BuildServiceProvider();
    }

    private AlgoliaActivities Activities => services.GetRequiredService<AlgoliaActivities>();

    public void Dispose()
    {
        services.Dispose();
        server.Stop();
        server.Dispose();
    }

    [Fact]
    public async Task Browse_pages_through_the_index_with_the_cursor_and_brings_only_the_attributes_asked_for()
    {
        for (var i = 1; i <= 5; i++)
        {
            stub.Record(Index, $"p-{i}", new JsonObject { ["name"] = $"Project {i}", ["status"] = "active", ["stats"] = new JsonObject { ["runs"] = i } });
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await environment.RunAsync(() => Activities.BrowseProjectsAsync(cursor, 2, Compared));
            pages++;
            seen.AddRange(page.Records.Select(r => r.ObjectId));
            Assert.All(page.Records, r => Assert.Equal(Compared, r.Attributes.Keys.Order(StringComparer.Ordinal)));
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(["p-1", "p-2", "p-3", "p-4", "p-5"], seen);
        var requests = server.ReceivedRequests(AlgoliaStub.BrowsePath(Index), "POST");
        Assert.Equal(3, requests.Count);
        var first = JsonNode.Parse(requests[0].Body!)!.AsObject();
        Assert.False(first.ContainsKey("cursor"));
        Assert.Equal(2, first["hitsPerPage"]!.GetValue<int>());
        Assert.Equal("""["name","status"]""", first["attributesToRetrieve"]!.ToJsonString());
        Assert.All(requests.Skip(1), r => Assert.False(string.IsNullOrEmpty(JsonNode.Parse(r.Body!)!["cursor"]?.GetValue<string>())));
        Assert.Equal(AlgoliaStub.DefaultApiKey, StubJson.Header(requests[0], "x-algolia-api-key"));
    }

    [Fact]
    public async Task An_empty_index_is_one_page_without_a_cursor()
    {
        stub.Index(Index);

        var page = await environment.RunAsync(() => Activities.BrowseProjectsAsync(null, 100, Compared));

        Assert.Empty(page.Records);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_page_size_Algolia_does_not_serve_is_refused_before_any_call(int hitsPerPage)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.BrowseProjectsAsync(null, hitsPerPage, Compared)));

        Assert.True(failure.NonRetryable);
        Assert.Equal("AlgoliaInvalidRequest", failure.ErrorType);
        Assert.Contains("1 to 1000", failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_missing_index_fails_for_good_naming_it()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.BrowseProjectsAsync(null, 10, Compared)));

        Assert.True(failure.NonRetryable);
        Assert.Equal("AlgoliaNotFound", failure.ErrorType);
        Assert.Contains($"browse of index {Index}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Index does not exist", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limiting_is_retryable_and_a_key_without_the_browse_ACL_is_not()
    {
        stub.Index(Index);
        server.FailNext(AlgoliaStub.BrowsePath(Index), 429, """{"message":"Too many requests","status":429}""", retryAfterSeconds: 3);
        var throttled = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.BrowseProjectsAsync(null, 10, Compared)));
        server.FailNext(AlgoliaStub.BrowsePath(Index), 403, """{"message":"Method not allowed with this API key","status":403}""");
        var refused = await Assert.ThrowsAsync<ApplicationFailureException>(() => environment.RunAsync(() => Activities.BrowseProjectsAsync(null, 10, Compared)));

        Assert.Equal(("AlgoliaRateLimited", false, TimeSpan.FromSeconds(3)), (throttled.ErrorType, throttled.NonRetryable, throttled.NextRetryDelay));
        Assert.Equal(("AlgoliaForbidden", true), (refused.ErrorType, refused.NonRetryable));
        Assert.Contains("Method not allowed with this API key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stand_in_serves_at_most_1000_records_a_page_and_refuses_a_cursor_it_did_not_give()
    {
        for (var i = 0; i < 1001; i++)
        {
            stub.Record(Index, $"p-{i:D4}", new JsonObject { ["name"] = $"Project {i}" });
        }

        using var http = new HttpClient { BaseAddress = new Uri(server.Url!) };
        var (status, page) = await BrowseAsync(http, """{"hitsPerPage":5000}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1000, page["hits"]!.AsArray().Count);
        Assert.Equal(1000, page["hitsPerPage"]!.GetValue<int>());
        var cursor = page["cursor"]!.GetValue<string>();

        var (_, last) = await BrowseAsync(http, $$"""{"cursor":"{{cursor}}"}""");
        Assert.Equal("p-1000", Assert.Single(last["hits"]!.AsArray())!["objectID"]!.GetValue<string>());
        Assert.False(last.AsObject().ContainsKey("cursor"));

        var (badStatus, bad) = await BrowseAsync(http, """{"cursor":"not-a-cursor"}""");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal(400, bad["status"]!.GetValue<int>());

        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, AlgoliaStub.BrowsePath(Index)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        wrongKey.Headers.Add("x-algolia-application-id", AlgoliaStub.DefaultApplicationId);
        wrongKey.Headers.Add("x-algolia-api-key", "another-key");
        using var forbidden = await http.SendAsync(wrongKey);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> BrowseAsync(HttpClient http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AlgoliaStub.BrowsePath(Index)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-algolia-application-id", AlgoliaStub.DefaultApplicationId);
        request.Headers.Add("x-algolia-api-key", AlgoliaStub.DefaultApiKey);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
