using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace EventProcessor.DownstreamStubs;

/// <summary>JSON helpers for stubs whose answers depend on the request (WireMock callbacks).</summary>
public static class StubJson
{
    /// <summary>camelCase, nulls left out: the way the real APIs omit absent members (e.g. hidden emails).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A response with a JSON body (serialized with <see cref="Options"/>), or no body when <paramref name="body"/> is null.</summary>
    public static ResponseMessage Response(int status, object? body = null)
    {
        var response = new ResponseMessage { StatusCode = status };
        if (body is not null)
        {
            response.AddHeader("Content-Type", "application/json");
            response.BodyData = new BodyData
            {
                BodyAsString = body is JsonNode node ? node.ToJsonString(Options) : JsonSerializer.Serialize(body, Options),
                DetectedBodyType = BodyType.String,
                Encoding = Encoding.UTF8,
            };
        }

        return response;
    }

    /// <summary>The request's JSON body, or null when it has none or it is not JSON.</summary>
    public static JsonNode? Body(IRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first value of a query parameter, or null.</summary>
    public static string? Query(IRequestMessage request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query is { } query && query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
    }

    /// <summary>The first value of a request header (case-insensitive), or null.</summary>
    public static string? Header(IRequestMessage request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
    }
}
