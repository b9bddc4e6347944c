using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Cli.Tests.Stubs;

/// <summary>One PutEvents call as the stub saw it.</summary>
public sealed record PutEventsCall(IReadOnlyDictionary<string, string> Headers, IReadOnlyList<JsonObject> Entries);

/// <summary>
/// EventBridge's JSON API (<c>POST /</c>, <c>X-Amz-Target: AWSEvents.PutEvents</c>): refuses more
/// than 10 entries, and fails an entry the first N times it is sent when its detail holds a marker.
/// </summary>
public sealed class EventBridgeStub : IDisposable
{
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly Lock gate = new();
    private readonly List<PutEventsCall> calls = [];
    private readonly Dictionary<string, int> failuresLeft = new(StringComparer.Ordinal);

    public EventBridgeStub()
    {
        server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", "AWSEvents.PutEvents"))
            .RespondWith(Response.Create().WithCallback(Answer));
    }

    public string Url => server.Url!;

    public IReadOnlyList<PutEventsCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    /// <summary>The entry whose detail contains <paramref name="marker"/> fails its first <paramref name="times"/> sends with InternalFailure.</summary>
    public void FailEntry(string marker, int times)
    {
        lock (gate)
        {
            failuresLeft[marker] = times;
        }
    }

    private ResponseMessage Answer(IRequestMessage request)
    {
        var body = JsonNode.Parse(request.Body!)!.AsObject();
        var entries = body["Entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var headers = request.Headers!.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        lock (gate)
        {
            calls.Add(new PutEventsCall(headers, entries));
            if (entries.Count > 10)
            {
                return AwsJson.Response(400, """{"__type":"ValidationException","message":"1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"}""", "application/x-amz-json-1.1");
            }

            var results = new JsonArray();
            var failed = 0;
            foreach (var entry in entries)
            {
                var detail = entry["Detail"]!.GetValue<string>();
                var marker = failuresLeft.Keys.FirstOrDefault(m => detail.Contains(m, StringComparison.Ordinal) && failuresLeft[m] > 0);
                if (marker is not null)
                {
                    failuresLeft[marker]--;
                    failed++;
                    results.Add(new JsonObject { ["ErrorCode"] = "InternalFailure", ["ErrorMessage"] = "Internal service error." });
                }
                else
                {
                    results.Add(new JsonObject { ["EventId"] = Guid.NewGuid().ToString() });
                }
            }

            return AwsJson.Response(200, new JsonObject { ["FailedEntryCount"] = failed, ["Entries"] = results }.ToJsonString(), "application/x-amz-json-1.1");
        }
    }

    public void Dispose() => server.Stop();
}
