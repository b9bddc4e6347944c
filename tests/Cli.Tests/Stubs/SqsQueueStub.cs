using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.Cli.Tests.Stubs;

/// <summary>
/// One SQS queue over the JSON protocol (<c>X-Amz-Target: AmazonSQS.*</c>): ReceiveMessage hides
/// received messages (visibility timeout, never expiring here), DeleteMessage removes one by its
/// receipt handle. Every operation is written to the shared <see cref="StubLog"/>.
/// </summary>
public sealed class SqsQueueStub : IDisposable
{
    private const string ContentType = "application/x-amz-json-1.0";
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly Lock gate = new();
    private readonly List<(string Id, string Body)> visible = [];
    private readonly Dictionary<string, (string Id, string Body)> inFlight = new(StringComparer.Ordinal);
    private readonly StubLog log;

    public SqsQueueStub(StubLog log)
    {
        this.log = log;
        server.Given(Request.Create().WithPath("/").UsingPost()).RespondWith(Response.Create().WithCallback(Answer));
    }

    public string Url => server.Url!;

    public string QueueUrl => $"{server.Url}/111122223333/event-processor-dlq";

    public List<string> Targets { get; } = [];

    /// <summary>Every message still in the queue (visible or in flight), by id.</summary>
    public IReadOnlyList<string> Remaining
    {
        get
        {
            lock (gate)
            {
                return [.. visible.Select(m => m.Id).Concat(inFlight.Values.Select(m => m.Id)).Order(StringComparer.Ordinal)];
            }
        }
    }

    public string Add(string body)
    {
        var id = Guid.NewGuid().ToString();
        lock (gate)
        {
            visible.Add((id, body));
        }

        return id;
    }

    private ResponseMessage Answer(IRequestMessage request)
    {
        var target = AwsJson.Header(request, "X-Amz-Target") ?? string.Empty;
        var body = JsonNode.Parse(string.IsNullOrEmpty(request.Body) ? "{}" : request.Body)!.AsObject();
        lock (gate)
        {
            Targets.Add(target);
            switch (target)
            {
                case "AmazonSQS.ReceiveMessage":
                    var max = body["MaxNumberOfMessages"]?.GetValue<int>() ?? 1;
                    var taken = visible.Take(max).ToList();
                    visible.RemoveRange(0, taken.Count);
                    var messages = new JsonArray();
                    foreach (var message in taken)
                    {
                        var receipt = $"receipt-{message.Id}-{Guid.NewGuid():N}";
                        inFlight[receipt] = message;
                        messages.Add(new JsonObject
                        {
                            ["MessageId"] = message.Id,
                            ["ReceiptHandle"] = receipt,
                            ["MD5OfBody"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(message.Body))),
                            ["Body"] = message.Body,
                        });
                    }

                    log.Add($"received {taken.Count}");
                    return AwsJson.Response(200, new JsonObject { ["Messages"] = messages }.ToJsonString(), ContentType);
                case "AmazonSQS.DeleteMessage":
                    var handle = body["ReceiptHandle"]!.GetValue<string>();
                    if (!inFlight.Remove(handle, out var deleted))
                    {
                        return AwsJson.Response(400, """{"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid","message":"The receipt handle is not valid."}""", ContentType);
                    }

                    log.Add($"deleted {deleted.Id}");
                    return AwsJson.Response(200, "{}", ContentType);
                default:
                    return AwsJson.Response(400, $$"""{"__type":"com.amazonaws.sqs#UnsupportedOperation","message":"{{target}} is not stubbed"}""", ContentType);
            }
        }
    }

    public void Dispose() => server.Stop();
}

/// <summary>An ordered record of what the stubs did, shared so tests can check one happened before another.</summary>
public sealed class StubLog
{
    private readonly Lock gate = new();
    private readonly List<string> entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public void Add(string entry)
    {
        lock (gate)
        {
            entries.Add(entry);
        }
    }
}
