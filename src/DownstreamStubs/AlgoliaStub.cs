using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.DownstreamStubs;

/// <summary>
/// A stateful stand-in for Algolia's write API on a WireMock server: records saved with
/// <c>PUT /1/indexes/{index}/{objectID}</c>, partial updates applied the way Algolia applies them
/// (plain values replace first-level attributes; <c>Add</c>, <c>AddUnique</c>, <c>Remove</c>,
/// <c>Increment</c>, <c>Decrement</c> operations; <c>createIfNotExists</c> defaulting to true and a
/// missing record silently left alone when false), <c>GET</c> of a record, and browse
/// (<c>POST /1/indexes/{index}/browse</c>: cursor paging, at most 1000 records a page,
/// <c>attributesToRetrieve</c>). Answers use Algolia's shapes: <c>{objectID, taskID, updatedAt}</c>,
/// errors <c>{message, status}</c>, 403 for other keys.
/// </summary>
public sealed partial class AlgoliaStub
{
    public const string DefaultApplicationId = "STUBAPP";
    public const string DefaultApiKey = "algolia-stub-api-key";

    private readonly WireMockServer server;
    private readonly string applicationId;
    private readonly string apiKey;
    private readonly Lock gate = new();
    private readonly Dictionary<(string Index, string ObjectId), JsonObject> records = [];
    private readonly HashSet<string> indexes = new(StringComparer.Ordinal);
    private long nextTaskId = 1514562690001;

    public AlgoliaStub(WireMockServer server, string applicationId = DefaultApplicationId, string apiKey = DefaultApiKey)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        this.applicationId = applicationId;
        this.apiKey = apiKey;
        Map("POST", PartialPattern(), PartialUpdate);
        Map("POST", BrowsePattern(), Browse);
        Map("PUT", ObjectPattern(), Save);
        Map("GET", SettingsPattern(), Settings);
        Map("GET", ObjectPattern(), Get);
    }

    /// <summary>Largest record accepted, in bytes of minified JSON (10,000 on Algolia's Build plan).</summary>
    public int MaxRecordBytes { get; set; } = 10_000;

    /// <summary>Creates an empty index (as the dashboard does); any write to an index also creates it, as in Algolia.</summary>
    public AlgoliaStub Index(string index)
    {
        lock (gate)
        {
            indexes.Add(index);
        }

        return this;
    }

    /// <summary>Whether the index exists (created, or written to).</summary>
    public bool HasIndex(string index)
    {
        lock (gate)
        {
            return indexes.Contains(index);
        }
    }

    public string BaseUrl => server.Url!;

    public static string ObjectPath(string index, string objectId) => $"/1/indexes/{index}/{objectId}";

    public static string PartialPath(string index, string objectId) => $"{ObjectPath(index, objectId)}/partial";

    public static string BrowsePath(string index) => $"/1/indexes/{index}/browse";

    /// <summary>Algolia's browse serves at most this many records a page (a larger hitsPerPage gets this many).</summary>
    public const int MaxBrowsePage = 1000;

    /// <summary>Puts a record in the index, as if saved earlier.</summary>
    public AlgoliaStub Record(string index, string objectId, JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (gate)
        {
            var copy = (JsonObject)record.DeepClone();
            copy["objectID"] = objectId;
            records[(index, objectId)] = copy;
            indexes.Add(index);
        }

        return this;
    }

    /// <summary>The record as Algolia now holds it (a copy), or null when there is none.</summary>
    public JsonObject? RecordOf(string index, string objectId)
    {
        lock (gate)
        {
            return records.TryGetValue((index, objectId), out var record) ? (JsonObject)record.DeepClone() : null;
        }
    }

    private ResponseMessage PartialUpdate(IRequestMessage request, string index, string objectId)
    {
        if (StubJson.Body(request) is not JsonObject changes)
        {
            return Error(400, "Invalid JSON");
        }

        // A write to a missing index creates it, whatever createIfNotExists says about the record.
        indexes.Add(index);

        // Algolia's default is to create the record.
        var createIfNotExists = !string.Equals(StubJson.Query(request, "createIfNotExists"), "false", StringComparison.OrdinalIgnoreCase);
        if (!records.TryGetValue((index, objectId), out var record))
        {
            if (!createIfNotExists)
            {
                return Written(objectId);
            }

            record = new JsonObject { ["objectID"] = objectId };
            records[(index, objectId)] = record;
        }

        foreach (var (name, value) in changes.ToList())
        {
            if (name == "objectID")
            {
                continue;
            }

            record[name] = value is JsonObject operation && operation["_operation"] is JsonValue op
                ? Apply(op.GetValue<string>(), record[name], operation["value"])
                : value?.DeepClone();
        }

        return TooBig(record, objectId) ?? Written(objectId);
    }

    private ResponseMessage Save(IRequestMessage request, string index, string objectId)
    {
        if (StubJson.Body(request) is not JsonObject record)
        {
            return Error(400, "Invalid JSON");
        }

        record["objectID"] = objectId;
        indexes.Add(index);
        if (TooBig(record, objectId) is { } refused)
        {
            return refused;
        }

        records[(index, objectId)] = record;
        return Written(objectId);
    }

    /// <summary>
    /// Browse: records in a fixed order (objectID, ordinal here; Algolia's is the index's ranking),
    /// <c>hitsPerPage</c> of them (default and most 1000), each with only <c>attributesToRetrieve</c>
    /// (plus objectID; absent or <c>*</c> means all), and a <c>cursor</c> unless this is the last page.
    /// The cursor is opaque to the caller: here it remembers the last objectID served.
    /// </summary>
    private ResponseMessage Browse(IRequestMessage request, string index, string unused)
    {
        var body = string.IsNullOrWhiteSpace(request.Body) ? new JsonObject() : StubJson.Body(request) as JsonObject;
        if (body is null)
        {
            return Error(400, "Invalid JSON");
        }

        if (!indexes.Contains(index))
        {
            return Error(404, "Index does not exist");
        }

        var hitsPerPage = MaxBrowsePage;
        if (body["hitsPerPage"] is { } size)
        {
            if (size is not JsonValue value || !value.TryGetValue<int>(out hitsPerPage) || hitsPerPage < 1)
            {
                return Error(400, "Invalid value for hitsPerPage: must be a positive integer");
            }

            hitsPerPage = Math.Min(hitsPerPage, MaxBrowsePage);
        }

        string? after = null;
        if (body["cursor"] is JsonValue cursorValue && cursorValue.TryGetValue<string>(out var cursor) && cursor.Length > 0)
        {
            after = DecodeCursor(cursor);
            if (after is null)
            {
                return Error(400, "Invalid cursor");
            }
        }

        var wanted = body["attributesToRetrieve"] is JsonArray list
            ? list.Select(a => a?.GetValue<string>()).Where(a => a is not null).Select(a => a!).ToHashSet(StringComparer.Ordinal)
            : null;
        if (wanted is not null && wanted.Contains("*"))
        {
            wanted = null;
        }

        var all = records.Where(r => r.Key.Index == index).OrderBy(r => r.Key.ObjectId, StringComparer.Ordinal).ToList();
        var page = all.Where(r => after is null || string.CompareOrdinal(r.Key.ObjectId, after) > 0).Take(hitsPerPage + 1).ToList();
        var more = page.Count > hitsPerPage;
        page = page.Take(hitsPerPage).ToList();
        var hits = new JsonArray();
        foreach (var (_, record) in page)
        {
            var hit = new JsonObject();
            foreach (var (name, value) in record)
            {
                if (wanted is null || name == "objectID" || wanted.Contains(name))
                {
                    hit[name] = value?.DeepClone();
                }
            }

            hits.Add(hit);
        }

        var answer = new JsonObject
        {
            ["hits"] = hits,
            ["nbHits"] = all.Count,
            ["page"] = 0,
            ["nbPages"] = 1,
            ["hitsPerPage"] = hitsPerPage,
            ["processingTimeMS"] = 1,
            ["query"] = string.Empty,
            ["params"] = string.Empty,
        };
        if (more)
        {
            answer["cursor"] = EncodeCursor(page[^1].Key.ObjectId);
        }

        return StubJson.Response(200, answer);
    }

    private static string EncodeCursor(string lastObjectId) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("after:" + lastObjectId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("after:", StringComparison.Ordinal) ? text["after:".Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private ResponseMessage Get(IRequestMessage request, string index, string objectId) =>
        records.TryGetValue((index, objectId), out var record) ? StubJson.Response(200, record.DeepClone()) : Error(404, "ObjectID does not exist");

    /// <summary>GET /1/indexes/{index}/settings: 404 "Index does not exist" for a missing index.</summary>
    private ResponseMessage Settings(IRequestMessage request, string index, string unused) =>
        indexes.Contains(index)
            ? StubJson.Response(200, new JsonObject { ["hitsPerPage"] = 20, ["searchableAttributes"] = null, ["paginationLimitedTo"] = 1000 })
            : Error(404, "Index does not exist");

    /// <summary>Algolia's refusal of a record over the plan's size ("Record at the position 0 objectID=... is too big size=N/M bytes").</summary>
    private ResponseMessage? TooBig(JsonObject record, string objectId)
    {
        var size = System.Text.Encoding.UTF8.GetByteCount(record.ToJsonString());
        return size > MaxRecordBytes
            ? Error(400, $"Record at the position 0 objectID={objectId} is too big size={size}/{MaxRecordBytes} bytes. Please have a look at https://www.algolia.com/doc/guides/sending-and-managing-data/prepare-your-data/in-depth/index-and-records-size-and-usage-limitations/#record-size-limits")
            : null;
    }

    private static JsonNode? Apply(string operation, JsonNode? current, JsonNode? value)
    {
        var number = current is JsonValue n && n.TryGetValue<double>(out var d) ? d : 0;
        var amount = value is JsonValue v && v.TryGetValue<double>(out var a) ? a : 0;
        var list = current as JsonArray ?? [];
        switch (operation)
        {
            case "Increment":
                return number + amount;
            case "Decrement":
                return number - amount;
            case "Add":
                return new JsonArray([.. list.Select(e => e?.DeepClone()), value?.DeepClone()]);
            case "AddUnique":
                return list.Any(e => JsonNode.DeepEquals(e, value)) ? list.DeepClone() : new JsonArray([.. list.Select(e => e?.DeepClone()), value?.DeepClone()]);
            case "Remove":
                return new JsonArray([.. list.Where(e => !JsonNode.DeepEquals(e, value)).Select(e => e?.DeepClone())]);
            default:
                return current?.DeepClone();
        }
    }

    private ResponseMessage Written(string objectId) => StubJson.Response(200, new JsonObject
    {
        ["objectID"] = objectId,
        ["taskID"] = nextTaskId++,
        ["updatedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    });

    private static ResponseMessage Error(int status, string message) =>
        StubJson.Response(status, new JsonObject { ["message"] = message, ["status"] = status });

    private void Map(string method, Regex path, Func<IRequestMessage, string, string, ResponseMessage> answer) =>
        server.Given(Request.Create().WithPath(new RegexMatcher(path.ToString())).UsingMethod(method))
            .RespondWith(Response.Create().WithCallback(request =>
            {
                if (!string.Equals(StubJson.Header(request, "x-algolia-application-id"), applicationId, StringComparison.Ordinal)
                    || !string.Equals(StubJson.Header(request, "x-algolia-api-key"), apiKey, StringComparison.Ordinal))
                {
                    return Error(403, "Invalid Application-ID or API key");
                }

                var match = path.Match(request.Path);
                lock (gate)
                {
                    return answer(request, Uri.UnescapeDataString(match.Groups[1].Value), Uri.UnescapeDataString(match.Groups[2].Value));
                }
            }));

    [GeneratedRegex("^/1/indexes/([^/]+)/(settings)$")]
    private static partial Regex SettingsPattern();

    [GeneratedRegex("^/1/indexes/([^/]+)/(browse)$")]
    private static partial Regex BrowsePattern();

    [GeneratedRegex("^/1/indexes/([^/]+)/([^/]+)/partial$")]
    private static partial Regex PartialPattern();

    [GeneratedRegex("^/1/indexes/([^/]+)/(?!settings$)([^/]+)$")]
    private static partial Regex ObjectPattern();
}
