using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Cli.Tests.Stubs;

/// <summary>The trigger's <c>POST /events</c>: 202 for each event, or 503 for event ids told to be unavailable; logs each acceptance.</summary>
public sealed class IntakeStub : IDisposable
{
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly HashSet<string> unavailable = new(StringComparer.Ordinal);
    private readonly StubLog log;

    public IntakeStub(StubLog log)
    {
        this.log = log;
        server.Given(Request.Create().WithPath("/events").UsingPost()).RespondWith(Response.Create().WithCallback(Answer));
    }

    public string Url => server.Url!;

    public void Unavailable(string eventId) => unavailable.Add(eventId);

    private ResponseMessage Answer(IRequestMessage request)
    {
        var id = JsonNode.Parse(request.Body!)!["id"]!.GetValue<string>();
        if (unavailable.Contains(id))
        {
            return AwsJson.Response(503, new JsonObject { ["error"] = "Temporal is unavailable", ["started"] = new JsonArray() }.ToJsonString(), "application/json");
        }

        log.Add($"accepted {id}");
        var run = new JsonObject { ["eventId"] = id, ["workflowId"] = $"wf-{id}", ["runId"] = Guid.NewGuid().ToString(), ["duplicate"] = false };
        return AwsJson.Response(202, new JsonObject { ["workflows"] = new JsonArray(run) }.ToJsonString(), "application/json");
    }

    public void Dispose() => server.Stop();
}
