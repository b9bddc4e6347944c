using System.Net;
using System.Net.Sockets;
using EventProcessor.DownstreamStubs;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Activities.Tests.Stubs;

public sealed class StubServerExtensionsTests : IDisposable
{
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly HttpClient http = new();

    public StubServerExtensionsTests() =>
        server.Given(Request.Create().WithPath("/thing").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));

    [Fact]
    public async Task FailNext_fails_exactly_the_given_number_of_calls_then_reaches_the_normal_mapping()
    {
        server.FailNext("/thing", 503, """{"error":"busy"}""", retryAfterSeconds: 7, times: 2);

        var first = await http.GetAsync(new Uri(server.Url + "/thing"));
        var second = await http.GetAsync(new Uri(server.Url + "/thing"));
        var third = await http.GetAsync(new Uri(server.Url + "/thing"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"error":"busy"}""", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(3, server.ReceivedRequests("/thing", "GET").Count);
        Assert.Empty(server.ReceivedRequests("/thing", "POST"));
    }

    [Fact]
    public async Task Two_FailNext_on_one_path_are_served_one_after_the_other()
    {
        server.FailNext("/thing", 429).FailNext("/thing", 500);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await http.GetAsync(new Uri(server.Url + "/thing"))).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Contains(HttpStatusCode.InternalServerError, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[2]);
    }

    [Fact]
    public async Task ClosedLoopbackUrl_refuses_connections()
    {
        var url = StubServerExtensions.ClosedLoopbackUrl();

        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(url.Host)));
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url));
        Assert.Equal(SocketError.ConnectionRefused, (failure.InnerException as SocketException)?.SocketErrorCode);
    }

    public void Dispose()
    {
        http.Dispose();
        server.Stop();
        server.Dispose();
    }
}
