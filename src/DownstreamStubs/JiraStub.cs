using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.DownstreamStubs;

/// <summary>A Jira user; <see cref="Email"/> null means the profile hides it (Jira then omits <c>emailAddress</c>).</summary>
public sealed record StubJiraUser(string AccountId, string DisplayName, string? Email = null);

/// <summary>
/// A comment. <see cref="Text"/> becomes an ADF body unless <see cref="Body"/> gives one;
/// <see cref="Properties"/> are the comment's entity properties (e.g. <c>sd.public.comment</c>).
/// </summary>
public sealed record StubJiraComment(
    string Id,
    StubJiraUser Author,
    string Text,
    DateTimeOffset Created,
    bool JsdPublic = true,
    IReadOnlyDictionary<string, JsonNode?>? Properties = null,
    JsonNode? Body = null,
    string? VisibilityRole = null);

/// <summary>An issue; <see cref="Fields"/> holds other fields by id (custom fields, description).</summary>
public sealed record StubJiraIssue(
    string Key,
    string Summary,
    string Status = "Open",
    string? Priority = "Medium",
    StubJiraUser? Reporter = null,
    IReadOnlyList<string>? Labels = null,
    IReadOnlyDictionary<string, JsonNode?>? Fields = null,
    DateTimeOffset? Created = null);

/// <summary>
/// A stateful stand-in for Jira Cloud platform REST v3 and JSM servicedeskapi on a WireMock server:
/// comments added through the API are listed afterwards (newest first, with their properties),
/// issues created are found by JQL label search, field edits are kept. Answers use Jira's own
/// shapes: <c>+0000</c> dates, omitted hidden emails, Jira and JSM error bodies, 401 for other credentials.
/// </summary>
public sealed partial class JiraStub
{
    public const string DefaultEmail = "eventprocessor@example.com";
    public const string DefaultApiToken = "jira-stub-api-token";
    public const string CommentListPath = "/rest/api/3/comment/list";
    public const string CreateIssuePath = "/rest/api/3/issue";
    public const string SearchPath = "/rest/api/3/search/jql";

    private const string IssueMissing = "Issue does not exist or you do not have permission to see it.";

    private readonly WireMockServer server;
    private readonly string authorization;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Ticket> tickets = new(StringComparer.OrdinalIgnoreCase);
    private int nextCommentId = 10100;
    private int nextIssueId = 10500;

    public JiraStub(WireMockServer server, string email = DefaultEmail, string apiToken = DefaultApiToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{apiToken}"));
        ApiAccount = new StubJiraUser("5b10ac8d82e05b22cc7d4ef5", "Event Processor", email);
        Map("GET", "^/rest/api/3/issue/[^/]+/comment$", ListComments);
        Map("POST", "^/rest/api/3/issue/[^/]+/comment$", AddComment);
        Map("POST", $"^{CommentListPath}$", CommentsByIds);
        Map("GET", "^/rest/api/3/issue/[^/]+/watchers$", ListWatchers);
        Map("GET", "^/rest/servicedeskapi/request/[^/]+/participant$", ListParticipants);
        Map("GET", "^/rest/api/3/issue/[^/]+$", GetIssue);
        Map("PUT", "^/rest/api/3/issue/[^/]+$", EditIssue);
        Map("POST", $"^{CreateIssuePath}$", CreateIssue);
        Map("GET", $"^{SearchPath}$", Search);
    }

    /// <summary>The account the processor authenticates as: the author of every comment it adds.</summary>
    public StubJiraUser ApiAccount { get; }

    public string BaseUrl => server.Url!;

    public static string CommentsPath(string issueKey) => $"/rest/api/3/issue/{issueKey}/comment";

    public static string WatchersPath(string issueKey) => $"/rest/api/3/issue/{issueKey}/watchers";

    public static string ParticipantsPath(string issueKey) => $"/rest/servicedeskapi/request/{issueKey}/participant";

    public static string IssuePath(string issueKey) => $"/rest/api/3/issue/{issueKey}";

    /// <summary>Adds an issue (or replaces its fields), keeping its comments, watchers and participants.</summary>
    public JiraStub Issue(StubJiraIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        lock (gate)
        {
            var ticket = TicketOf(issue.Key);
            ticket.Issue = issue;
            ticket.Id ??= (nextIssueId++).ToString(CultureInfo.InvariantCulture);
        }

        return this;
    }

    /// <summary>Adds comments to the issue (created if unknown), in any order: Jira sorts them by date.</summary>
    public JiraStub Comments(string issueKey, params StubJiraComment[] comments)
    {
        lock (gate)
        {
            TicketOf(issueKey).Comments.AddRange(comments);
        }

        return this;
    }

    /// <summary>Makes <paramref name="comment"/> the issue's only comment.</summary>
    public JiraStub LatestComment(string issueKey, StubJiraComment comment)
    {
        lock (gate)
        {
            var ticket = TicketOf(issueKey);
            ticket.Comments.Clear();
            ticket.Comments.Add(comment);
        }

        return this;
    }

    public JiraStub Watchers(string issueKey, params StubJiraUser[] watchers)
    {
        lock (gate)
        {
            TicketOf(issueKey).Watchers = [.. watchers];
        }

        return this;
    }

    /// <summary>Makes the issue a JSM request with these participants (served in pages of the caller's <c>limit</c>).</summary>
    public JiraStub Participants(string issueKey, params StubJiraUser[] participants)
    {
        lock (gate)
        {
            TicketOf(issueKey).Participants = [.. participants];
        }

        return this;
    }

    /// <summary>The issue's comments as stored now (including those added through the API), oldest first.</summary>
    public IReadOnlyList<StubJiraComment> CommentsOf(string issueKey)
    {
        lock (gate)
        {
            return tickets.TryGetValue(issueKey, out var ticket) ? [.. ticket.Comments.OrderBy(c => c.Created)] : [];
        }
    }

    /// <summary>The issue as stored now (with edits and created issues), or null.</summary>
    public StubJiraIssue? IssueOf(string issueKey)
    {
        lock (gate)
        {
            return tickets.TryGetValue(issueKey, out var ticket) ? ticket.Issue : null;
        }
    }

    /// <summary>Issues created through the API, in order.</summary>
    public IReadOnlyList<StubJiraIssue> CreatedIssues()
    {
        lock (gate)
        {
            return [.. tickets.Values.Where(t => t.CreatedThroughApi).OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => t.Issue!)];
        }
    }

    /// <summary>The next calls of <paramref name="path"/> fail with Jira's error body (and <c>Retry-After</c> when given).</summary>
    public JiraStub FailNext(string path, int status, int? retryAfterSeconds = null, int times = 1, string? method = null, string? message = null)
    {
        var body = new JsonObject { ["errorMessages"] = new JsonArray(message ?? DefaultMessage(status)), ["errors"] = new JsonObject() };
        server.FailNext(path, status, body.ToJsonString(), retryAfterSeconds, times, method);
        return this;
    }

    internal static string JiraDate(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    private static string DefaultMessage(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "You are not authenticated. Authentication required to perform this operation.",
        403 => "You do not have permission to perform this operation.",
        404 => IssueMissing,
        429 => "Rate limit exceeded.",
        _ => "Internal server error.",
    };

    private static ResponseMessage JiraError(int status, string message) =>
        StubJson.Response(status, new JsonObject { ["errorMessages"] = new JsonArray(message), ["errors"] = new JsonObject() });

    private static string KeyAt(IRequestMessage request, int segment) => Uri.UnescapeDataString(request.Path.Split('/')[segment]);

    private void Map(string method, string pathPattern, Func<IRequestMessage, ResponseMessage> answer) =>
        server.Given(Request.Create().WithPath(new RegexMatcher(pathPattern)).UsingMethod(method))
            .RespondWith(Response.Create().WithCallback(request =>
            {
                if (!string.Equals(StubJson.Header(request, "Authorization"), authorization, StringComparison.Ordinal))
                {
                    return JiraError(401, DefaultMessage(401));
                }

                lock (gate)
                {
                    return answer(request);
                }
            }));

    private Ticket TicketOf(string issueKey)
    {
        if (!tickets.TryGetValue(issueKey, out var ticket))
        {
            ticket = new Ticket();
            tickets[issueKey] = ticket;
        }

        return ticket;
    }

    private Ticket? Known(string issueKey) => tickets.GetValueOrDefault(issueKey);

    private ResponseMessage ListComments(IRequestMessage request)
    {
        var key = KeyAt(request, 5);
        if (Known(key) is not { } ticket)
        {
            return JiraError(404, IssueMissing);
        }

        var startAt = int.Parse(StubJson.Query(request, "startAt") ?? "0", CultureInfo.InvariantCulture);
        var maxResults = int.Parse(StubJson.Query(request, "maxResults") ?? "5000", CultureInfo.InvariantCulture);
        var newestFirst = StubJson.Query(request, "orderBy") == "-created";
        var ordered = newestFirst ? ticket.Comments.OrderByDescending(c => c.Created) : ticket.Comments.OrderBy(c => c.Created);
        var page = ordered.Skip(startAt).Take(maxResults).Select(c => CommentJson(key, c, withProperties: false));
        return StubJson.Response(200, new JsonObject
        {
            ["startAt"] = startAt,
            ["maxResults"] = maxResults,
            ["total"] = ticket.Comments.Count,
            ["comments"] = new JsonArray([.. page]),
        });
    }

    private ResponseMessage AddComment(IRequestMessage request)
    {
        var key = KeyAt(request, 5);
        if (Known(key) is not { } ticket)
        {
            return JiraError(404, IssueMissing);
        }

        var body = StubJson.Body(request);
        if (body?["body"] is not JsonObject adf || adf["type"]?.GetValue<string>() != "doc")
        {
            return StubJson.Response(400, new JsonObject
            {
                ["errorMessages"] = new JsonArray(),
                ["errors"] = new JsonObject { ["comment"] = "Comment body can not be empty!" },
            });
        }

        var properties = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var property in body["properties"]?.AsArray() ?? [])
        {
            properties[property!["key"]!.GetValue<string>()] = property["value"]?.DeepClone();
        }

        var isInternal = properties.TryGetValue("sd.public.comment", out var visibility) && visibility?["internal"]?.GetValue<bool>() == true;
        var comment = new StubJiraComment(
            (nextCommentId++).ToString(CultureInfo.InvariantCulture),
            ApiAccount,
            PlainText(adf),
            DateTimeOffset.UtcNow,
            JsdPublic: !isInternal,
            Properties: properties,
            Body: adf.DeepClone());
        ticket.Comments.Add(comment);
        return StubJson.Response(201, CommentJson(key, comment, withProperties: false));
    }

    private ResponseMessage CommentsByIds(IRequestMessage request)
    {
        var ids = StubJson.Body(request)?["ids"]?.AsArray().Select(id => id!.ToString()).ToHashSet(StringComparer.Ordinal) ?? [];
        var withProperties = StubJson.Query(request, "expand")?.Contains("properties", StringComparison.Ordinal) == true;
        var found = tickets
            .SelectMany(t => t.Value.Comments.Select(c => (Key: t.Key, Comment: c)))
            .Where(x => ids.Contains(x.Comment.Id))
            .OrderBy(x => long.Parse(x.Comment.Id, CultureInfo.InvariantCulture))
            .Select(x => CommentJson(x.Key, x.Comment, withProperties))
            .ToList();
        return StubJson.Response(200, new JsonObject
        {
            ["self"] = $"{BaseUrl}{CommentListPath}",
            ["maxResults"] = 1000,
            ["startAt"] = 0,
            ["total"] = found.Count,
            ["isLast"] = true,
            ["values"] = new JsonArray([.. found]),
        });
    }

    private ResponseMessage ListWatchers(IRequestMessage request)
    {
        var key = KeyAt(request, 5);
        if (Known(key) is not { } ticket)
        {
            return JiraError(404, IssueMissing);
        }

        return StubJson.Response(200, new JsonObject
        {
            ["self"] = $"{BaseUrl}{WatchersPath(key)}",
            ["isWatching"] = false,
            ["watchCount"] = ticket.Watchers.Count,
            ["watchers"] = new JsonArray([.. ticket.Watchers.Select(UserJson)]),
        });
    }

    private ResponseMessage ListParticipants(IRequestMessage request)
    {
        var key = KeyAt(request, 4);
        if (Known(key) is not { Participants: { } participants })
        {
            return StubJson.Response(404, new JsonObject
            {
                ["errorMessage"] = "The request could not be found, or you do not have permission to view it.",
                ["i18nErrorMessage"] = new JsonObject { ["i18nKey"] = "sd.request.error.not.found", ["parameters"] = new JsonArray() },
            });
        }

        var start = int.Parse(StubJson.Query(request, "start") ?? "0", CultureInfo.InvariantCulture);
        var limit = int.Parse(StubJson.Query(request, "limit") ?? "50", CultureInfo.InvariantCulture);
        var page = participants.Skip(start).Take(limit).ToList();
        var isLast = start + page.Count >= participants.Count;
        var links = new JsonObject
        {
            ["base"] = BaseUrl,
            ["context"] = string.Empty,
            ["self"] = $"{BaseUrl}{ParticipantsPath(key)}?start={start}&limit={limit}",
        };
        if (!isLast)
        {
            links["next"] = $"{BaseUrl}{ParticipantsPath(key)}?start={start + limit}&limit={limit}";
        }

        return StubJson.Response(200, new JsonObject
        {
            ["size"] = page.Count,
            ["start"] = start,
            ["limit"] = limit,
            ["isLastPage"] = isLast,
            ["values"] = new JsonArray([.. page.Select(UserJson)]),
            ["_links"] = links,
        });
    }

    private ResponseMessage GetIssue(IRequestMessage request)
    {
        var key = KeyAt(request, 5);
        if (Known(key) is not { Issue: { } issue } ticket)
        {
            return JiraError(404, IssueMissing);
        }

        var wanted = StubJson.Query(request, "fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var all = IssueFields(issue);
        var fields = new JsonObject();
        foreach (var (name, value) in all.Where(f => wanted is null || wanted.Contains(f.Key, StringComparer.Ordinal)))
        {
            fields[name] = value?.DeepClone();
        }

        var json = new JsonObject
        {
            ["expand"] = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            ["id"] = ticket.Id,
            ["self"] = $"{BaseUrl}/rest/api/3/issue/{ticket.Id}",
            ["key"] = issue.Key,
            ["fields"] = fields,
        };
        if (StubJson.Query(request, "expand")?.Contains("names", StringComparison.Ordinal) == true)
        {
            json["names"] = new JsonObject([.. fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)DisplayName(f.Key)))]);
        }

        return StubJson.Response(200, json);
    }

    private ResponseMessage EditIssue(IRequestMessage request)
    {
        var key = KeyAt(request, 5);
        if (Known(key) is not { Issue: { } issue } ticket)
        {
            return JiraError(404, IssueMissing);
        }

        if (StubJson.Body(request)?["fields"] is not JsonObject changes)
        {
            return StubJson.Response(400, new JsonObject { ["errorMessages"] = new JsonArray("No fields to update."), ["errors"] = new JsonObject() });
        }

        var fields = new Dictionary<string, JsonNode?>(issue.Fields ?? new Dictionary<string, JsonNode?>(), StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            fields[name] = value?.DeepClone();
        }

        ticket.Issue = issue with { Fields = fields };
        return StubJson.Response(204);
    }

    private ResponseMessage CreateIssue(IRequestMessage request)
    {
        var fields = StubJson.Body(request)?["fields"];
        var project = fields?["project"]?["key"]?.GetValue<string>();
        var summary = fields?["summary"]?.GetValue<string>();
        if (project is null || summary is null || fields?["issuetype"] is null)
        {
            return StubJson.Response(400, new JsonObject
            {
                ["errorMessages"] = new JsonArray(),
                ["errors"] = new JsonObject { ["summary"] = "You must specify a summary of the issue." },
            });
        }

        var id = (nextIssueId++).ToString(CultureInfo.InvariantCulture);
        var number = tickets.Keys.Count(k => k.StartsWith(project + "-", StringComparison.OrdinalIgnoreCase)) + 1;
        var key = $"{project}-{number}";
        var others = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (fields["description"] is { } description)
        {
            others["description"] = description.DeepClone();
        }

        var labels = fields["labels"]?.AsArray().Select(l => l!.GetValue<string>()).ToList() ?? [];
        var ticket = TicketOf(key);
        ticket.Id = id;
        ticket.CreatedThroughApi = true;
        ticket.Issue = new StubJiraIssue(key, summary, "Open", "Medium", ApiAccount, labels, others, DateTimeOffset.UtcNow);
        return StubJson.Response(201, new JsonObject { ["id"] = id, ["key"] = key, ["self"] = $"{BaseUrl}/rest/api/3/issue/{id}" });
    }

    private ResponseMessage Search(IRequestMessage request)
    {
        var jql = StubJson.Query(request, "jql") ?? string.Empty;
        var label = LabelClause().Match(jql) is { Success: true } l ? l.Groups[1].Value : null;
        var project = ProjectClause().Match(jql) is { Success: true } p ? p.Groups[1].Value : null;
        var maxResults = int.Parse(StubJson.Query(request, "maxResults") ?? "50", CultureInfo.InvariantCulture);
        var wanted = StubJson.Query(request, "fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["id"];
        var matches = tickets.Values
            .Where(t => t.Issue is { } issue
                && (label is null || issue.Labels?.Contains(label, StringComparer.Ordinal) == true)
                && (project is null || issue.Key.StartsWith(project + "-", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .Take(maxResults)
            .Select(t =>
            {
                var all = IssueFields(t.Issue!);
                return (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["key"] = t.Issue!.Key,
                    ["self"] = $"{BaseUrl}/rest/api/3/issue/{t.Id}",
                    ["fields"] = new JsonObject([.. all.Where(f => wanted.Contains(f.Key, StringComparer.Ordinal))
                        .Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone()))]),
                };
            });
        return StubJson.Response(200, new JsonObject { ["issues"] = new JsonArray([.. matches]), ["isLast"] = true });
    }

    private Dictionary<string, JsonNode?> IssueFields(StubJiraIssue issue)
    {
        var created = issue.Created ?? new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["summary"] = issue.Summary,
            ["status"] = new JsonObject { ["name"] = issue.Status, ["id"] = "10001", ["statusCategory"] = new JsonObject { ["key"] = "new" } },
            ["priority"] = issue.Priority is null ? null : new JsonObject { ["name"] = issue.Priority, ["id"] = "3" },
            ["reporter"] = issue.Reporter is null ? null : UserJson(issue.Reporter),
            ["labels"] = new JsonArray([.. (issue.Labels ?? []).Select(l => (JsonNode)l)]),
            ["created"] = JiraDate(created),
            ["updated"] = JiraDate(created),
        };
        foreach (var (name, value) in issue.Fields ?? new Dictionary<string, JsonNode?>())
        {
            fields[name] = value?.DeepClone();
        }

        return fields;
    }

    private static string DisplayName(string fieldId) => fieldId switch
    {
        "summary" => "Summary",
        "status" => "Status",
        "priority" => "Priority",
        "reporter" => "Reporter",
        "labels" => "Labels",
        "created" => "Created",
        "updated" => "Updated",
        "description" => "Description",
        _ => $"Custom field ({fieldId})",
    };

    private JsonObject UserJson(StubJiraUser user)
    {
        var json = new JsonObject
        {
            ["self"] = $"{BaseUrl}/rest/api/3/user?accountId={user.AccountId}",
            ["accountId"] = user.AccountId,
            ["displayName"] = user.DisplayName,
            ["active"] = true,
            ["timeZone"] = "Europe/Berlin",
            ["accountType"] = "atlassian",
        };
        if (user.Email is not null)
        {
            json["emailAddress"] = user.Email;
        }

        return json;
    }

    private JsonObject CommentJson(string issueKey, StubJiraComment comment, bool withProperties)
    {
        var json = new JsonObject
        {
            ["self"] = $"{BaseUrl}{CommentsPath(issueKey)}/{comment.Id}",
            ["id"] = comment.Id,
            ["author"] = UserJson(comment.Author),
            ["body"] = comment.Body?.DeepClone() ?? Adf(comment.Text),
            ["updateAuthor"] = UserJson(comment.Author),
            ["created"] = JiraDate(comment.Created),
            ["updated"] = JiraDate(comment.Created),
            ["jsdPublic"] = comment.JsdPublic,
        };
        if (comment.VisibilityRole is not null)
        {
            json["visibility"] = new JsonObject { ["type"] = "role", ["value"] = comment.VisibilityRole, ["identifier"] = comment.VisibilityRole };
        }

        if (withProperties)
        {
            json["properties"] = new JsonArray([.. (comment.Properties ?? new Dictionary<string, JsonNode?>())
                .Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value?.DeepClone() })]);
        }

        return json;
    }

    private static JsonObject Adf(string text) => new()
    {
        ["type"] = "doc",
        ["version"] = 1,
        ["content"] = new JsonArray([.. text.Split("\n\n").Select(p => (JsonNode)new JsonObject
        {
            ["type"] = "paragraph",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = p }),
        })]),
    };

    private static string PlainText(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "text" => o["text"]?.GetValue<string>() ?? string.Empty,
        JsonObject o when o["type"]?.GetValue<string>() == "hardBreak" => "\n",
        JsonObject o when o["type"]?.GetValue<string>() == "doc" => string.Join("\n\n", (o["content"]?.AsArray() ?? []).Select(PlainText)),
        JsonObject o => string.Concat((o["content"]?.AsArray() ?? []).Select(PlainText)),
        _ => string.Empty,
    };

    [GeneratedRegex("labels\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex LabelClause();

    [GeneratedRegex("project\\s*=\\s*\"?([A-Za-z0-9_]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectClause();

    private sealed class Ticket
    {
        public string? Id { get; set; }

        public StubJiraIssue? Issue { get; set; }

        public bool CreatedThroughApi { get; set; }

        public List<StubJiraComment> Comments { get; } = [];

        public List<StubJiraUser> Watchers { get; set; } = [];

        public List<StubJiraUser>? Participants { get; set; }
    }
}
