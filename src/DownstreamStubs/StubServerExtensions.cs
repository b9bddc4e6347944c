using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.DownstreamStubs;

/// <summary>
/// Helpers shared by every stub: read what a stub received, make the next calls of a path fail
/// or stall (to exercise Temporal's retries), and get an address nobody listens on.
/// </summary>
public static class StubServerExtensions
{
    /// <summary>Failure mappings outrank the stubs' normal mappings (WireMock: lower value wins).</summary>
    private const int FailurePriority = -100;

    /// <summary>
    /// Requests received on <paramref name="path"/> (exact, without the query string), oldest first,
    /// optionally only those using <paramref name="method"/>.
    /// </summary>
    public static IReadOnlyList<IRequestMessage> ReceivedRequests(this WireMockServer server, string path, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.LogEntries
            .Select(entry => entry.RequestMessage)
            .Where(request => string.Equals(request.Path, path, StringComparison.Ordinal)
                && (method is null || string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(request => request.DateTime)
            .ToList();
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="path"/> answer <paramref name="status"/>
    /// with <paramref name="jsonBody"/> (the API's own error shape) and optional <c>Retry-After</c> and
    /// extra headers; later calls reach the normal mappings again.
    /// </summary>
    public static WireMockServer FailNext(
        this WireMockServer server,
        string path,
        int status,
        string? jsonBody = null,
        int? retryAfterSeconds = null,
        int times = 1,
        string? method = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var response = Response.Create().WithStatusCode(status);
        if (jsonBody is not null)
        {
            response = response.WithHeader("Content-Type", "application/json").WithBody(jsonBody);
        }

        if (retryAfterSeconds is { } seconds)
        {
            response = response.WithHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response = response.WithHeader(name, value);
        }

        return server.Temporarily(path, method, times, response);
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="path"/> answer only after
    /// <paramref name="delay"/> (longer than the client's timeout, to exercise timeouts).
    /// </summary>
    public static WireMockServer StallNext(this WireMockServer server, string path, TimeSpan delay, int times = 1, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.Temporarily(path, method, times, Response.Create().WithStatusCode(200).WithBody("{}").WithDelay(delay));
    }

    /// <summary>
    /// A loopback URL on which nothing listens (the port was just released), so a call gets
    /// "connection refused" without leaving the machine.
    /// </summary>
    public static Uri ClosedLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private static WireMockServer Temporarily(this WireMockServer server, string path, string? method, int times, IResponseBuilder response)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        var request = Request.Create().WithPath(path);
        request = method is null ? request.UsingAnyMethod() : request.UsingMethod(method);

        // A scenario of its own: the mapping matches while the scenario has not moved on, and moves
        // it on after `times` matches, so the normal mapping answers from then on.
        server.Given(request)
            .AtPriority(FailurePriority)
            .InScenario($"fail-next-{Guid.NewGuid():N}")
            .WillSetStateTo("passed", times)
            .RespondWith(response);
        return server;
    }
}
