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

/// <summary>The form a Jira field's value takes, from its schema in <c>GET /rest/api/3/field</c>.</summary>
public enum StubJiraFieldType
{
    /// <summary>Single-line text (<c>textfield</c>): a string of at most 255 characters.</summary>
    Text,

    /// <summary>Multi-line text (<c>textarea</c>): an ADF document in REST v3.</summary>
    TextArea,

    /// <summary>Number (<c>float</c>): a JSON number.</summary>
    Number,

    /// <summary>Single select (<c>select</c>): <c>{"value": "..."}</c>.</summary>
    Option,
}

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
/// Like the real Jira it can lag and lose answers: <see cref="SearchLag"/> keeps new issues out of
/// search for a while (Atlassian's "search after write" page: no read-after-write consistency by
/// default), and <see cref="WriteFaults"/> applies some writes but answers them 5xx. Summaries and
/// custom fields are checked the way Jira checks them (one line, 255 characters; values in the form
/// of the field's type), and JSM comments (<c>POST /rest/servicedeskapi/request/{key}/comment</c>)
/// and comment properties (<c>PUT /rest/api/3/comment/{id}/properties/{key}</c>) are served.
/// </summary>
public sealed partial class JiraStub
{
    public const string DefaultEmail = "eventprocessor@example.com";
    public const string DefaultApiToken = "jira-stub-api-token";
    public const string CommentListPath = "/rest/api/3/comment/list";
    public const string CreateIssuePath = "/rest/api/3/issue";
    public const string SearchPath = "/rest/api/3/search/jql";
    public const string FieldsPath = "/rest/api/3/field";
    public const int MaxSummaryLength = 255;

    private const string IssueMissing = "Issue does not exist or you do not have permission to see it.";

    private readonly WireMockServer server;
    private readonly string authorization;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Ticket> tickets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Name, StubJiraFieldType Type)> customFields = new(StringComparer.Ordinal)
    {
        ["customfield_10042"] = ("Project UUID", StubJiraFieldType.Text),
        ["customfield_10043"] = ("Project name", StubJiraFieldType.Text),
    };

    private readonly TimeProvider clock;
    private int nextCommentId = 10100;
    private int nextIssueId = 10500;

    public JiraStub(WireMockServer server, string email = DefaultEmail, string apiToken = DefaultApiToken, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        this.clock = clock ?? TimeProvider.System;
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
        Map("GET", $"^{FieldsPath}$", ListFields);
        Map("POST", "^/rest/servicedeskapi/request/[^/]+/comment$", AddJsmComment);
        Map("PUT", "^/rest/api/3/comment/[^/]+/properties/[^/]+$", SetCommentProperty);
    }

    /// <summary>How long an issue created through the API stays invisible to JQL search (zero: at once).</summary>
    public TimeSpan SearchLag { get; set; }

    /// <summary>When set, writes (create issue, add comment, JSM comment, comment property, edit) are applied, and some answered 5xx.</summary>
    public StubWriteFaults? WriteFaults { get; set; }

    /// <summary>When true, JSM stores every comment as public whatever <c>public</c> says (e.g. the API account is only a customer there).</summary>
    public bool WritesEveryCommentPublic { get; set; }

    /// <summary>The account the processor authenticates as: the author of every comment it adds.</summary>
    public StubJiraUser ApiAccount { get; }

    public string BaseUrl => server.Url!;

    public static string CommentsPath(string issueKey) => $"/rest/api/3/issue/{issueKey}/comment";

    public static string WatchersPath(string issueKey) => $"/rest/api/3/issue/{issueKey}/watchers";

    public static string ParticipantsPath(string issueKey) => $"/rest/servicedeskapi/request/{issueKey}/participant";

    public static string IssuePath(string issueKey) => $"/rest/api/3/issue/{issueKey}";

    public static string JsmCommentsPath(string issueKey) => $"/rest/servicedeskapi/request/{issueKey}/comment";

    public static string CommentPropertyPath(string commentId, string propertyKey) => $"/rest/api/3/comment/{commentId}/properties/{propertyKey}";

    /// <summary>Declares a custom field (listed by <c>GET /rest/api/3/field</c>); edits must give values of its type.</summary>
    public JiraStub Field(string id, string name, StubJiraFieldType type)
    {
        lock (gate)
        {
            customFields[id] = (name, type);
        }

        return this;
    }

    /// <summary>Makes the issue a JSM request without participants (so JSM endpoints answer for it).</summary>
    public JiraStub JsmRequest(string issueKey)
    {
        lock (gate)
        {
            var ticket = TicketOf(issueKey);
            ticket.Participants ??= [];
        }

        return this;
    }

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
            clock.GetUtcNow(),
            JsdPublic: !isInternal,
            Properties: properties,
            Body: adf.DeepClone());
        ticket.Comments.Add(comment);
        return Faulted() ?? StubJson.Response(201, CommentJson(key, comment, withProperties: false));
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

        var errors = new JsonObject();
        foreach (var (name, value) in changes)
        {
            if (FieldProblem(name, value) is { } problem)
            {
                errors[name] = problem;
            }
        }

        if (errors.Count > 0)
        {
            return StubJson.Response(400, new JsonObject { ["errorMessages"] = new JsonArray(), ["errors"] = errors });
        }

        var fields = new Dictionary<string, JsonNode?>(issue.Fields ?? new Dictionary<string, JsonNode?>(), StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (name == "summary")
            {
                issue = issue with { Summary = value!.GetValue<string>() };
                continue;
            }

            fields[name] = value?.DeepClone();
        }

        ticket.Issue = issue with { Fields = fields };
        return Faulted() ?? StubJson.Response(204);
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

        if (SummaryProblem(summary) is { } problem)
        {
            return StubJson.Response(400, new JsonObject { ["errorMessages"] = new JsonArray(), ["errors"] = new JsonObject { ["summary"] = problem } });
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
        ticket.SearchableFrom = clock.GetUtcNow() + SearchLag;
        ticket.Issue = new StubJiraIssue(key, summary, "Open", "Medium", ApiAccount, labels, others, clock.GetUtcNow());
        return Faulted() ?? StubJson.Response(201, new JsonObject { ["id"] = id, ["key"] = key, ["self"] = $"{BaseUrl}/rest/api/3/issue/{id}" });
    }

    private ResponseMessage Search(IRequestMessage request)
    {
        var jql = StubJson.Query(request, "jql") ?? string.Empty;
        var label = LabelClause().Match(jql) is { Success: true } l ? l.Groups[1].Value : null;
        var project = ProjectClause().Match(jql) is { Success: true } p ? p.Groups[1].Value : null;
        var maxResults = int.Parse(StubJson.Query(request, "maxResults") ?? "50", CultureInfo.InvariantCulture);
        var wanted = StubJson.Query(request, "fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["id"];
        var now = clock.GetUtcNow();
        var matches = tickets.Values
            .Where(t => t.Issue is { } issue
                && t.SearchableFrom <= now
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

    private ResponseMessage ListFields(IRequestMessage request)
    {
        var system = new (string Id, string Name, JsonObject Schema)[]
        {
            ("summary", "Summary", new JsonObject { ["type"] = "string", ["system"] = "summary" }),
            ("description", "Description", new JsonObject { ["type"] = "string", ["system"] = "description" }),
            ("labels", "Labels", new JsonObject { ["type"] = "array", ["items"] = "string", ["system"] = "labels" }),
        };
        var all = system.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Id,
            ["key"] = f.Id,
            ["name"] = f.Name,
            ["custom"] = false,
            ["orderable"] = true,
            ["navigable"] = true,
            ["searchable"] = true,
            ["clauseNames"] = new JsonArray(f.Id),
            ["schema"] = f.Schema,
        }).Concat(customFields.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Key,
            ["key"] = f.Key,
            ["name"] = f.Value.Name,
            ["custom"] = true,
            ["orderable"] = true,
            ["navigable"] = true,
            ["searchable"] = true,
            ["clauseNames"] = new JsonArray($"cf[{f.Key["customfield_".Length..]}]", f.Value.Name),
            ["schema"] = new JsonObject
            {
                ["type"] = f.Value.Type switch
                {
                    StubJiraFieldType.Number => "number",
                    StubJiraFieldType.Option => "option",
                    _ => "string",
                },
                ["custom"] = "com.atlassian.jira.plugin.system.customfieldtypes:" + f.Value.Type switch
                {
                    StubJiraFieldType.TextArea => "textarea",
                    StubJiraFieldType.Number => "float",
                    StubJiraFieldType.Option => "select",
                    _ => "textfield",
                },
                ["customId"] = long.Parse(f.Key["customfield_".Length..], CultureInfo.InvariantCulture),
            },
        }));
        return StubJson.Response(200, new JsonArray([.. all]));
    }

    /// <summary>
    /// JSM's add-comment: a plain-text <c>body</c> and <c>public</c>; answers the JSM comment shape.
    /// Only JSM requests have it (404 in JSM's error shape otherwise).
    /// </summary>
    private ResponseMessage AddJsmComment(IRequestMessage request)
    {
        var key = KeyAt(request, 4);
        if (Known(key) is not { Participants: not null } ticket)
        {
            return StubJson.Response(404, new JsonObject
            {
                ["errorMessage"] = "The request could not be found, or you do not have permission to view it.",
                ["i18nErrorMessage"] = new JsonObject { ["i18nKey"] = "sd.request.error.not.found", ["parameters"] = new JsonArray() },
            });
        }

        var body = StubJson.Body(request);
        var text = body?["body"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return StubJson.Response(400, new JsonObject { ["errorMessage"] = "Comment body must not be empty." });
        }

        var isPublic = WritesEveryCommentPublic || body?["public"]?.GetValue<bool>() != false;
        var comment = new StubJiraComment(
            (nextCommentId++).ToString(CultureInfo.InvariantCulture),
            ApiAccount,
            text,
            clock.GetUtcNow(),
            JsdPublic: isPublic,
            Properties: new Dictionary<string, JsonNode?>(StringComparer.Ordinal));
        ticket.Comments.Add(comment);
        var created = comment.Created;
        return Faulted() ?? StubJson.Response(201, new JsonObject
        {
            ["id"] = comment.Id,
            ["body"] = text,
            ["public"] = isPublic,
            ["author"] = UserJson(ApiAccount),
            ["created"] = new JsonObject
            {
                ["iso8601"] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000",
                ["jira"] = JiraDate(created),
                ["friendly"] = "Today 12:00 PM",
                ["epochMillis"] = created.ToUnixTimeMilliseconds(),
            },
            ["_links"] = new JsonObject { ["self"] = $"{BaseUrl}/rest/servicedeskapi/request/{ticket.Id}/comment/{comment.Id}" },
        });
    }

    /// <summary><c>PUT /rest/api/3/comment/{id}/properties/{key}</c>: 201 when created, 200 when replaced.</summary>
    private ResponseMessage SetCommentProperty(IRequestMessage request)
    {
        var commentId = KeyAt(request, 5);
        var propertyKey = KeyAt(request, 7);
        var owner = tickets.Values.FirstOrDefault(t => t.Comments.Any(c => c.Id == commentId));
        if (owner is null)
        {
            return JiraError(404, "Can not find a comment for key: " + commentId + ".");
        }

        var value = StubJson.Body(request);
        if (value is null)
        {
            return JiraError(400, "The property value must be valid JSON.");
        }

        var index = owner.Comments.FindIndex(c => c.Id == commentId);
        var comment = owner.Comments[index];
        var properties = new Dictionary<string, JsonNode?>(comment.Properties ?? new Dictionary<string, JsonNode?>(), StringComparer.Ordinal);
        var existed = properties.ContainsKey(propertyKey);
        properties[propertyKey] = value.DeepClone();
        owner.Comments[index] = comment with { Properties = properties };
        return Faulted() ?? StubJson.Response(existed ? 200 : 201);
    }

    /// <summary>Jira's own checks of a summary: one line of at most 255 characters.</summary>
    private static string? SummaryProblem(string summary) =>
        summary.Contains('\n', StringComparison.Ordinal) || summary.Contains('\r', StringComparison.Ordinal)
            ? "The summary is invalid because it contains newline characters."
            : summary.Length > MaxSummaryLength ? "Summary must be less than 255 characters." : null;

    /// <summary>The error Jira gives for a value not of the field's type (REST v3 takes ADF for multi-line text).</summary>
    private string? FieldProblem(string name, JsonNode? value)
    {
        if (name == "summary")
        {
            return value is JsonValue v && v.TryGetValue<string>(out var text) ? SummaryProblem(text) : "Operation value must be a string";
        }

        if (!name.StartsWith("customfield_", StringComparison.Ordinal))
        {
            return null;
        }

        if (!customFields.TryGetValue(name, out var field))
        {
            return $"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown.";
        }

        if (value is null)
        {
            return null;
        }

        return field.Type switch
        {
            StubJiraFieldType.Text => value is JsonValue s && s.TryGetValue<string>(out var t)
                ? (t.Length > 255 ? "The entered text is too long. It exceeds the allowed limit of 255 characters." : null)
                : "Operation value must be a string",
            StubJiraFieldType.TextArea => value is JsonObject doc && doc["type"]?.GetValue<string>() == "doc"
                ? null
                : "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
            StubJiraFieldType.Number => value is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number ? null : "Operation value must be a number",
            StubJiraFieldType.Option => value is JsonObject o && (o["value"] is not null || o["id"] is not null) ? null : $"Specify a valid 'id' or 'name' for {field.Name}",
            _ => null,
        };
    }

    private ResponseMessage? Faulted()
    {
        if (WriteFaults is not { } faults || !faults.NextWriteFails())
        {
            return null;
        }

        return JiraError(faults.Status, "Bad Gateway: the write was applied, but its answer was lost on the way back.");
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

        public DateTimeOffset SearchableFrom { get; set; } = DateTimeOffset.MinValue;

        public List<StubJiraComment> Comments { get; } = [];

        public List<StubJiraUser> Watchers { get; set; } = [];

        public List<StubJiraUser>? Participants { get; set; }
    }
}
