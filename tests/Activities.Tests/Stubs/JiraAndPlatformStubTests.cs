using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventProcessor.DownstreamStubs;
using WireMock.Server;

namespace EventProcessor.Activities.Tests.Stubs;

/// <summary>The stubs answer in the real APIs' own shapes, which the client tests rely on.</summary>
public sealed class JiraAndPlatformStubTests : IDisposable
{
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly HttpClient http = new();
    private readonly JiraStub jira;
    private readonly PlatformStub platform;

    public JiraAndPlatformStubTests()
    {
        jira = new JiraStub(server);
        platform = new PlatformStub(server);
    }

    [Fact]
    public async Task Jira_writes_dates_with_a_colonless_offset_and_omits_hidden_emails()
    {
        jira.Comments("SUP-1", new StubJiraComment("10001", new StubJiraUser("a-1", "Hidden"), "hi", new DateTimeOffset(2026, 11, 20, 11, 15, 0, TimeSpan.FromHours(1))));

        var body = await GetJsonAsync(JiraStub.CommentsPath("SUP-1"), Jira());

        var comment = body["comments"]![0]!;
        Assert.Equal("2026-11-20T10:15:00.000+0000", comment["created"]!.GetValue<string>());
        Assert.False(comment["author"]!.AsObject().ContainsKey("emailAddress"));
        Assert.Equal("doc", comment["body"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Jira_refuses_other_credentials_with_its_error_body()
    {
        jira.Watchers("SUP-1");

        using var response = await SendAsync(JiraStub.WatchersPath("SUP-1"), new AuthenticationHeaderValue("Basic", "d3Jvbmc6Y3JlZHM="));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorMessages"]);
    }

    [Fact]
    public async Task JSM_participant_pages_link_to_the_next_page_until_the_last()
    {
        jira.Participants("SUP-2", new StubJiraUser("p-1", "One"), new StubJiraUser("p-2", "Two"), new StubJiraUser("p-3", "Three"));

        var first = await GetJsonAsync(JiraStub.ParticipantsPath("SUP-2") + "?start=0&limit=2", Jira());
        var last = await GetJsonAsync(JiraStub.ParticipantsPath("SUP-2") + "?start=2&limit=2", Jira());

        Assert.Equal((2, false), (first["size"]!.GetValue<int>(), first["isLastPage"]!.GetValue<bool>()));
        Assert.EndsWith("?start=2&limit=2", first["_links"]!["next"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((1, true), (last["size"]!.GetValue<int>(), last["isLastPage"]!.GetValue<bool>()));
        Assert.False(last["_links"]!.AsObject().ContainsKey("next"));
    }

    [Fact]
    public async Task Platform_answers_404_with_its_error_body_for_anything_not_stubbed_and_401_without_the_token()
    {
        using var missing = await SendAsync(PlatformStub.ProjectPath("nope"), new AuthenticationHeaderValue("Bearer", PlatformStub.DefaultToken));
        using var anonymous = await SendAsync(PlatformStub.ProjectPath("nope"), null);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"error":"Not found","code":"not_found"}""", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Platform_stubbed_calls_need_the_bearer_token()
    {
        platform.User(new StubPlatformUser("u-1", "a@b.example", "A", ["ticketComments"]));

        using var anonymous = await SendAsync(PlatformStub.UserPath("u-1"), new AuthenticationHeaderValue("Bearer", "other"));
        var user = await GetJsonAsync(PlatformStub.UserPath("u-1"), new AuthenticationHeaderValue("Bearer", PlatformStub.DefaultToken));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("a@b.example", user["email"]!.GetValue<string>());
    }

    public void Dispose()
    {
        http.Dispose();
        server.Stop();
        server.Dispose();
    }

    private static AuthenticationHeaderValue Jira() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{JiraStub.DefaultEmail}:{JiraStub.DefaultApiToken}")));

    private async Task<HttpResponseMessage> SendAsync(string pathAndQuery, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url + pathAndQuery));
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    private async Task<JsonNode> GetJsonAsync(string pathAndQuery, AuthenticationHeaderValue authorization)
    {
        using var response = await SendAsync(pathAndQuery, authorization);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
