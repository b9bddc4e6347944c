using System.Text.Json.Nodes;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Cli.Tests.Stubs;

/// <summary>
/// Jira refusing every call, as it does once the processor's API token is revoked: 401 with Jira's
/// error body ("Authentication credentials are incorrect or missing", Jira Cloud REST v3, "Status
/// codes" of every operation). A mode switch, not a count of failures: one mapping above the stub's
/// own (WireMock: the lower priority value wins) answers everything until <see cref="End"/> removes
/// it, so concurrent requests cannot slip past it the way a counted FailNext scenario can.
/// </summary>
public sealed class JiraOutage
{
    private readonly WireMockServer server;
    private readonly Guid mapping = Guid.NewGuid();
    private int refused;

    private JiraOutage(WireMockServer server) => this.server = server;

    /// <summary>Requests refused so far.</summary>
    public int Refused => Volatile.Read(ref refused);

    /// <param name="holdUntil">Awaited before a request is refused: fixes which of two parallel steps fails first.</param>
    public static JiraOutage Begin(WireMockServer server, Func<IRequestMessage, Task>? holdUntil = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var outage = new JiraOutage(server);
        server.Given(Request.Create().WithPath(new RegexMatcher(".*")).UsingAnyMethod())
            .WithGuid(outage.mapping)
            .AtPriority(-1000)
            .RespondWith(Response.Create().WithCallback(async request =>
            {
                if (holdUntil is not null)
                {
                    await holdUntil(request);
                }

                Interlocked.Increment(ref outage.refused);
                var body = new JsonObject { ["errorMessages"] = new JsonArray("You are not authenticated. Authentication required to perform this operation."), ["errors"] = new JsonObject() };
                return (IResponseMessage)AwsJson.Response(401, body.ToJsonString(), "application/json");
            }));
        return outage;
    }

    /// <summary>Jira is back: the stub's own mappings answer again.</summary>
    public void End() => server.DeleteMapping(mapping);
}
