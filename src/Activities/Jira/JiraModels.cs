using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventProcessor.Activities.Jira;

// Shapes of Jira Cloud platform REST v3 and JSM servicedeskapi JSON (Jira Cloud REST API v3, JSM servicedeskapi).
// Emails are optional everywhere: Jira omits them when the person's profile hides them.

public sealed record JiraUser(string AccountId, string? DisplayName, string? EmailAddress, bool Active = true);

public sealed record JiraVisibility(string Type, string Value);

public sealed record JiraEntityProperty(string Key, JsonElement Value);

public sealed record JiraComment(
    string Id,
    JiraUser? Author,
    JsonElement Body,
    DateTimeOffset Created,
    DateTimeOffset? Updated,
    JiraVisibility? Visibility,
    bool? JsdPublic,
    IReadOnlyList<JiraEntityProperty>? Properties);

/// <summary><c>GET /rest/api/3/issue/{key}/comment</c>.</summary>
public sealed record JiraCommentPage(int StartAt, int MaxResults, int Total, IReadOnlyList<JiraComment> Comments);

/// <summary>Body of <c>POST /rest/api/3/comment/list</c> (at most 1000 ids).</summary>
public sealed record JiraCommentIds(IReadOnlyList<long> Ids);

/// <summary><c>POST /rest/api/3/comment/list</c> answers a page bean with <c>values</c>.</summary>
public sealed record JiraCommentListPage(int StartAt, int MaxResults, int Total, bool IsLast, IReadOnlyList<JiraComment> Values);

/// <summary><c>GET /rest/api/3/issue/{key}/watchers</c>.</summary>
public sealed record JiraWatchers(bool IsWatching, int WatchCount, IReadOnlyList<JiraUser> Watchers);

public sealed record JiraNewEntityProperty(string Key, object Value);

/// <summary>Body of <c>POST /rest/api/3/issue/{key}/comment</c>.</summary>
public sealed record JiraNewComment(AdfDocument Body, IReadOnlyList<JiraNewEntityProperty>? Properties = null);

public sealed record JiraProjectRef(string Key);

public sealed record JiraIssueTypeRef(string Name);

public sealed record JiraNewIssueFields(
    JiraProjectRef Project,
    [property: JsonPropertyName("issuetype")] JiraIssueTypeRef IssueType,
    string Summary,
    AdfDocument? Description,
    IReadOnlyList<string> Labels);

/// <summary>Body of <c>POST /rest/api/3/issue</c>.</summary>
public sealed record JiraNewIssue(JiraNewIssueFields Fields);

/// <summary>Jira answers 201 with <c>{id, key, self}</c>.</summary>
public sealed record JiraCreatedIssue(string Id, string Key, string? Self);

/// <summary>Body of <c>PUT /rest/api/3/issue/{key}</c>: field id → value in the form the field's type takes (custom fields by id).</summary>
public sealed record JiraIssueUpdate(IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> Fields);

/// <summary>A field's schema in <c>GET /rest/api/3/field</c>: <c>type</c> (string, number, option, array, ...), <c>items</c> of arrays, <c>system</c> or <c>custom</c> type.</summary>
public sealed record JiraFieldSchema(string? Type, string? Items = null, string? System = null, string? Custom = null);

/// <summary>One entry of <c>GET /rest/api/3/field</c>.</summary>
public sealed record JiraField(string Id, string? Name, bool Custom, JiraFieldSchema? Schema);

/// <summary>Body of JSM's add-comment: plain text (not ADF) and its visibility.</summary>
public sealed record JsmNewComment(string Body, bool Public);

/// <summary>JSM's comment: <c>{id, body, public, author, created, _links}</c>; the id is the Jira comment id.</summary>
public sealed record JsmComment(string Id, string? Body, bool? Public);

public sealed record JiraNamed(string? Name);

public sealed record JiraIssueFields(
    string? Summary,
    JiraNamed? Status,
    JiraNamed? Priority,
    JiraUser? Reporter,
    IReadOnlyList<string>? Labels,
    DateTimeOffset? Created,
    DateTimeOffset? Updated)
{
    /// <summary>Every other requested field (custom fields), as Jira sent it.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Other { get; init; }
}

/// <summary><c>GET /rest/api/3/issue/{key}?fields=…&amp;expand=names</c>; <c>names</c> maps field ids to display names.</summary>
public sealed record JiraIssue(string Id, string Key, JiraIssueFields Fields, IReadOnlyDictionary<string, string>? Names);

/// <summary><c>GET /rest/api/3/search/jql</c> (token-paged).</summary>
public sealed record JiraSearchPage(IReadOnlyList<JiraIssue> Issues, bool IsLast, string? NextPageToken);

/// <summary>JSM paging envelope: <c>{size, start, limit, isLastPage, values}</c>.</summary>
public sealed record JsmPage<T>(int Size, int Start, int Limit, bool IsLastPage, IReadOnlyList<T> Values);
