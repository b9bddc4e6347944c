using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace EventProcessor.DownstreamStubs;

/// <summary>An event Pusher accepted; <see cref="Data"/> is the JSON-encoded string as sent.</summary>
public sealed record StubPushEvent(string Channel, string Name, string Data)
{
    /// <summary>The decoded payload.</summary>
    public JsonNode? Payload => JsonNode.Parse(Data);
}

/// <summary>
/// A stand-in for the Pusher Channels HTTP API on a WireMock server: <c>POST /apps/{id}/events</c>
/// and <c>/batch_events</c>, verifying the request signature the way Pusher does (its own
/// implementation, not the client's: body MD5, HMAC-SHA256 of the sorted parameters, timestamp within
/// 600 s of the stub's clock) and Pusher's limits (10 KB data, 10 events per batch, 100
/// channels, name characters). Errors are plain text, as Pusher sends them. Accepted events are kept in order.
/// </summary>
public sealed partial class PusherStub
{
    public const string DefaultAppId = "1700001";
    public const string DefaultKey = "stubpusherkey0000001";
    public const string DefaultSecret = "stubpushersecret0001";

    private static readonly TimeSpan AllowedSkew = TimeSpan.FromSeconds(600);

    private readonly WireMockServer server;
    private readonly string key;
    private readonly string secret;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly List<StubPushEvent> events = [];

    public PusherStub(WireMockServer server, string appId = DefaultAppId, string key = DefaultKey, string secret = DefaultSecret, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        this.key = key;
        this.secret = secret;
        this.time = time ?? TimeProvider.System;
        AppId = appId;
        server.Given(Request.Create().WithPath(new RegexMatcher(EventsPattern().ToString())).UsingPost())
            .RespondWith(Response.Create().WithCallback(Answer));
    }

    public string AppId { get; }

    public string BaseUrl => server.Url!;

    public string EventsPath => $"/apps/{AppId}/events";

    public string BatchEventsPath => $"/apps/{AppId}/batch_events";

    /// <summary>Every event accepted so far, in the order received.</summary>
    public IReadOnlyList<StubPushEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    public IReadOnlyList<StubPushEvent> EventsOn(string channel) => [.. Events.Where(e => e.Channel == channel)];

    private ResponseMessage Answer(IRequestMessage request)
    {
        var path = EventsPattern().Match(request.Path);
        if (path.Groups[1].Value != AppId)
        {
            return Text(404, "Unknown app");
        }

        var body = request.BodyAsBytes ?? Encoding.UTF8.GetBytes(request.Body ?? string.Empty);
        if (Unauthorized(request, body) is { } refusal)
        {
            return Text(401, refusal);
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return Text(400, "Request body is not valid JSON");
        }

        var received = new List<StubPushEvent>();
        if (path.Groups[2].Success)
        {
            if (json?["batch"] is not JsonArray batch)
            {
                return Text(400, "Missing batch");
            }

            if (batch.Count > 10)
            {
                return Text(400, $"Batch too large ({batch.Count} > 10)");
            }

            foreach (var item in batch)
            {
                received.Add(new StubPushEvent(Str(item?["channel"]), Str(item?["name"]), Str(item?["data"])));
            }
        }
        else
        {
            var channels = json?["channels"] is JsonArray many ? many.Select(Str).ToList() : [Str(json?["channel"])];
            if (channels.Count is 0 or > 100)
            {
                return Text(400, "Between 1 and 100 channels are required");
            }

            received.AddRange(channels.Select(channel => new StubPushEvent(channel, Str(json?["name"]), Str(json?["data"]))));
        }

        foreach (var item in received)
        {
            if (!NamePattern().IsMatch(item.Channel) || item.Channel.Length > 164)
            {
                return Text(400, $"Invalid channel name '{item.Channel}'");
            }

            if (!NamePattern().IsMatch(item.Name) || item.Name.Length > 200)
            {
                return Text(400, $"Invalid event name '{item.Name}'");
            }

            if (Encoding.UTF8.GetByteCount(item.Data) > 10240)
            {
                return Text(413, "Payload too large: data content of this event exceeds the allowed maximum (10240 bytes)");
            }
        }

        lock (gate)
        {
            events.AddRange(received);
        }

        return new ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = "{}", DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
    }

    /// <summary>Why Pusher would refuse the signature, or null when it is valid.</summary>
    private string? Unauthorized(IRequestMessage request, byte[] body)
    {
        var query = (request.Query ?? new Dictionary<string, WireMockList<string>>())
            .ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value.FirstOrDefault() ?? string.Empty, StringComparer.Ordinal);
        if (query.GetValueOrDefault("auth_key") != key)
        {
            return "Unknown auth_key";
        }

        if (query.GetValueOrDefault("auth_version") != "1.0")
        {
            return "Unsupported auth_version";
        }

        if (!long.TryParse(query.GetValueOrDefault("auth_timestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var stamp)
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(stamp)).Duration() > AllowedSkew)
        {
            return $"Timestamp expired: Given timestamp ({query.GetValueOrDefault("auth_timestamp")}) not within 600s of server time ({time.GetUtcNow().ToUnixTimeSeconds()})";
        }

#pragma warning disable CA5351 // Pusher's protocol fixes MD5 as the body checksum.
        var md5 = Convert.ToHexStringLower(MD5.HashData(body));
#pragma warning restore CA5351
        if (query.GetValueOrDefault("body_md5") != md5)
        {
            return "Invalid body_md5";
        }

        var signed = new StringBuilder().Append(request.Method.ToUpperInvariant()).Append('\n').Append(request.Path).Append('\n');
        signed.AppendJoin('&', query.Where(p => p.Key != "auth_signature").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed.ToString())));
        return query.GetValueOrDefault("auth_signature") == expected
            ? null
            : $"Invalid signature: you should have sent HmacSHA256Hex(\"{signed.ToString().Replace("\n", "\\n", StringComparison.Ordinal)}\", your_secret)";
    }

    private static string Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    private static ResponseMessage Text(int status, string message) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("text/plain") },
        BodyData = new BodyData { BodyAsString = message, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    [GeneratedRegex("^/apps/([^/]+)/(batch_)?events$")]
    private static partial Regex EventsPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-=@,.;]+$")]
    private static partial Regex NamePattern();
}
