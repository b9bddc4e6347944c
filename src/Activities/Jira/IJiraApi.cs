using EventProcessor.Activities.Downstream;
using Refit;

namespace EventProcessor.Activities.Jira;

/// <summary>
/// Jira Cloud platform REST v3. Every call names its operation for failure messages; statuses
/// other than 2xx become Temporal failures in <see cref="DownstreamHttpHandler"/>.
/// </summary>
public interface IJiraApi
{
    /// <summary>Comments newest first (<c>orderBy=-created</c>); <c>maxResults=1</c> gives the latest.</summary>
    [Get("/rest/api/3/issue/{issueKey}/comment?orderBy=-created")]
    Task<JiraCommentPage> GetCommentsNewestFirstAsync(
        string issueKey,
        int maxResults,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Comments by id with their entity properties (the only way to read comment properties in bulk).</summary>
    [Post("/rest/api/3/comment/list?expand=properties")]
    Task<JiraCommentListPage> GetCommentsWithPropertiesAsync(
        [Body] JiraCommentIds ids,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    [Get("/rest/api/3/issue/{issueKey}/watchers")]
    Task<JiraWatchers> GetWatchersAsync(
        string issueKey,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Answers 201 with the created comment.</summary>
    [Post("/rest/api/3/issue/{issueKey}/comment")]
    Task<JiraComment> AddCommentAsync(
        string issueKey,
        [Body] JiraNewComment comment,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Answers 201 with <c>{id, key, self}</c>.</summary>
    [Post("/rest/api/3/issue")]
    Task<JiraCreatedIssue> CreateIssueAsync(
        [Body] JiraNewIssue issue,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Answers 204.</summary>
    [Put("/rest/api/3/issue/{issueKey}")]
    Task EditIssueAsync(
        string issueKey,
        [Body] JiraIssueUpdate update,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>An issue with the given comma-separated field ids (e.g. <c>summary,status,customfield_10042</c>) and their display names.</summary>
    [Get("/rest/api/3/issue/{issueKey}?expand=names")]
    Task<JiraIssue> GetIssueAsync(
        string issueKey,
        string fields,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Every field of the site with its schema (type, custom type), system and custom alike.</summary>
    [Get("/rest/api/3/field")]
    Task<IReadOnlyList<JiraField>> GetFieldsAsync(
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>PUT /rest/api/3/comment/{commentId}/properties/{propertyKey}</c>: sets (creates or replaces) a comment property; repeating it changes nothing.</summary>
    [Put("/rest/api/3/comment/{commentId}/properties/{propertyKey}")]
    Task SetCommentPropertyAsync(
        string commentId,
        string propertyKey,
        [Body] object value,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Enhanced JQL search (token-paged: pass <c>nextPageToken</c> for the next page).</summary>
    [Get("/rest/api/3/search/jql")]
    Task<JiraSearchPage> SearchAsync(
        string jql,
        string fields,
        int maxResults,
        [Property(DownstreamRequest.OperationKey)] string operation,
        string? nextPageToken = null,
        CancellationToken cancellationToken = default);
}

/// <summary>Jira Service Management servicedeskapi (its own error shape and paging).</summary>
public interface IJsmApi
{
    /// <summary>One page of request participants; 404 (not a JSM request) is returned, not thrown.</summary>
    [Get("/rest/servicedeskapi/request/{issueKey}/participant")]
    Task<ApiResponse<JsmPage<JiraUser>>> GetParticipantsAsync(
        string issueKey,
        int start,
        int limit,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /rest/servicedeskapi/request/{issueIdOrKey}/comment</c> with <c>{"body": text, "public": bool}</c>:
    /// the documented way to write an internal note. 404 (not a JSM request) is returned, not thrown.
    /// The comment's id is its Jira comment id.
    /// </summary>
    [Post("/rest/servicedeskapi/request/{issueKey}/comment")]
    Task<ApiResponse<JsmComment>> AddRequestCommentAsync(
        string issueKey,
        [Body] JsmNewComment comment,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);
}
