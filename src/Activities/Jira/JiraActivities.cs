using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Temporalio.Activities;

namespace EventProcessor.Activities.Jira;

/// <summary>
/// Jira and JSM steps of the event workflows. Reads are naturally safe to repeat; the two writes
/// that would duplicate on retry (a comment, a new issue) look for their own marker first: a
/// comment property holding the event id, or a label unique to the business object.
/// </summary>
public sealed class JiraActivities(IJiraApi jira, IJsmApi jsm, IOptions<JiraOptions> options)
{
    /// <summary>Comment property marking which event wrote a comment.</summary>
    public const string EventMarkerKey = "eventprocessor.event";

    /// <summary>JSM's comment property for internal notes when writing through the platform API.</summary>
    public const string JsmVisibilityKey = "sd.public.comment";

    /// <summary>How many of the newest comments are searched for a marker; a retry follows its first attempt closely.</summary>
    internal const int RecentCommentsSearched = 50;

    internal const int ParticipantsPageSize = 50;

    private const string IssueFields = "summary,status,priority,reporter,labels,created,updated";

    private readonly JiraOptions settings = options.Value;

    private static CancellationToken Cancellation => ActivityExecutionContext.Current.CancellationToken;

    /// <summary>
    /// The newest comment of the ticket, or null when it has none. Its properties are read too
    /// (the comment listing does not return them): a comment this processor wrote for an event
    /// carries that event's marker, and its own notification already went out with it.
    /// </summary>
    [Activity]
    public async Task<JiraLatestComment?> GetLatestCommentAsync(string ticketKey)
    {
        var page = await jira.GetCommentsNewestFirstAsync(ticketKey, 1, $"fetch the latest comment of {ticketKey}", Cancellation);
        var comment = page.Comments.FirstOrDefault();
        if (comment is null)
        {
            return null;
        }

        var withProperties = await jira.GetCommentsWithPropertiesAsync(
            new JiraCommentIds([long.Parse(comment.Id, CultureInfo.InvariantCulture)]), $"read the properties of comment {comment.Id} of {ticketKey}", Cancellation);
        var properties = withProperties.Values.FirstOrDefault(c => c.Id == comment.Id)?.Properties;
        var full = comment with { Properties = properties ?? comment.Properties };
        return new JiraLatestComment(comment.Id, ToPerson(comment.Author), Adf.ToPlainText(comment.Body), comment.Created, IsPublic(full), MarkerEventId(full));
    }

    /// <summary>Watchers and every page of JSM participants, in one activity (a ticket that is not a JSM request has none).</summary>
    [Activity]
    public async Task<JiraTicketPeople> GetTicketPeopleAsync(string ticketKey)
    {
        var watchers = await jira.GetWatchersAsync(ticketKey, $"fetch watchers of {ticketKey}", Cancellation);
        var participants = new List<JiraPerson>();
        for (var start = 0; ;)
        {
            using var response = await jsm.GetParticipantsAsync(
                ticketKey, start, ParticipantsPageSize, [(int)HttpStatusCode.NotFound], $"fetch request participants of {ticketKey} (from {start})", Cancellation);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                break;
            }

            // A 2xx whose body could not be read must fail the activity, not pass for "no participants".
            if (response.Error is { } unreadable)
            {
                throw unreadable;
            }

            var page = response.Content!;
            participants.AddRange(page.Values.Select(ToPerson));
            if (page.IsLastPage || page.Values.Count == 0)
            {
                break;
            }

            start += page.Values.Count;
        }

        return new JiraTicketPeople(watchers.Watchers.Select(ToPerson).ToList(), participants);
    }

    /// <summary>
    /// Adds the comment unless one of the ticket's recent comments already carries this event's
    /// marker (a retry after a timeout that did write). The marker and, for internal notes, the JSM
    /// visibility are written as comment properties in the same call, so they exist with the comment.
    /// </summary>
    [Activity]
    public async Task<JiraCommentResult> AddCommentOnceAsync(JiraCommentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var existing = await FindMarkedCommentAsync(request.TicketKey, request.EventId);
        if (existing is not null)
        {
            JiraLog.CommentAlreadyAdded(ActivityExecutionContext.Current.Logger, request.TicketKey, existing, request.EventId);
            return new JiraCommentResult(existing, AlreadyExisted: true);
        }

        string[] text = request.OnBehalfOf is { } person ? [OnBehalfOfLine(person), request.Text] : [request.Text];
        var properties = new List<JiraNewEntityProperty> { new(EventMarkerKey, new { eventId = request.EventId }) };
        if (request.Internal)
        {
            properties.Add(new JiraNewEntityProperty(JsmVisibilityKey, new { @internal = true }));
        }

        var created = await jira.AddCommentAsync(
            request.TicketKey,
            new JiraNewComment(Adf.FromPlainText(text), properties),
            $"add a comment to {request.TicketKey}",
            Cancellation);
        return new JiraCommentResult(created.Id, AlreadyExisted: false);
    }

    [Activity]
    public async Task<JiraIssueSummary> GetIssueAsync(string ticketKey)
    {
        var issue = await jira.GetIssueAsync(ticketKey, IssueFields, $"fetch ticket {ticketKey}", Cancellation);
        var fields = issue.Fields;
        return new JiraIssueSummary(
            issue.Key,
            fields.Summary ?? string.Empty,
            fields.Status?.Name,
            fields.Priority?.Name,
            fields.Reporter is null ? null : ToPerson(fields.Reporter),
            fields.Created,
            fields.Updated,
            settings.BrowseUrl(issue.Key));
    }

    /// <summary>Sets fields (custom fields by id, e.g. <c>customfield_10042</c>); a null value clears one. Repeating it sets the same values.</summary>
    [Activity]
    public async Task UpdateIssueFieldsAsync(string ticketKey, IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            return;
        }

        await jira.EditIssueAsync(
            ticketKey,
            new JiraIssueUpdate(fields),
            $"update fields {string.Join(", ", fields.Keys)} of {ticketKey}",
            Cancellation);
    }

    /// <summary>
    /// Creates the issue with <see cref="JiraIssueRequest.Label"/> unless an issue of the project already
    /// has that label. Jira's search index can lag a freshly created issue by a moment, so a retry
    /// within that moment could still create a second one; Temporal's retry backoff makes that rare.
    /// </summary>
    [Activity]
    public async Task<JiraIssueResult> CreateIssueOnceAsync(JiraIssueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var jql = $"project = \"{JqlEscape(request.ProjectKey)}\" AND labels = \"{JqlEscape(request.Label)}\" ORDER BY created ASC";
        var found = await jira.SearchAsync(jql, "summary,labels", 1, $"look for an issue labelled {request.Label} in {request.ProjectKey}", cancellationToken: Cancellation);
        if (found.Issues.FirstOrDefault() is { } existing)
        {
            JiraLog.IssueAlreadyExists(ActivityExecutionContext.Current.Logger, existing.Key, request.Label);
            return new JiraIssueResult(existing.Key, settings.BrowseUrl(existing.Key), AlreadyExisted: true);
        }

        var issue = new JiraNewIssue(new JiraNewIssueFields(
            new JiraProjectRef(request.ProjectKey),
            new JiraIssueTypeRef(request.IssueType),
            request.Summary,
            Adf.FromPlainText(request.Description),
            [request.Label]));
        var created = await jira.CreateIssueAsync(issue, $"create the {request.Label} issue in {request.ProjectKey}", Cancellation);
        return new JiraIssueResult(created.Key, settings.BrowseUrl(created.Key), AlreadyExisted: false);
    }

    internal static string OnBehalfOfLine(JiraOnBehalfOf person) =>
        string.IsNullOrWhiteSpace(person.Name)
            ? $"On behalf of <{person.Email}>"
            : $"On behalf of {person.Name.Trim()} <{person.Email}>";

    /// <summary>Public unless JSM says otherwise (<c>jsdPublic</c> or <c>sd.public.comment</c>) or the comment is restricted.</summary>
    internal static bool IsPublic(JiraComment comment)
    {
        if (comment.Visibility is not null || comment.JsdPublic == false)
        {
            return false;
        }

        var jsm = comment.Properties?.FirstOrDefault(p => p.Key == JsmVisibilityKey)?.Value;
        return !(jsm is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty("internal", out var flag)
            && (flag.ValueKind == JsonValueKind.True || (flag.ValueKind == JsonValueKind.String && flag.GetString() == "true")));
    }

    private async Task<string?> FindMarkedCommentAsync(string ticketKey, string eventId)
    {
        var recent = await jira.GetCommentsNewestFirstAsync(ticketKey, RecentCommentsSearched, $"list recent comments of {ticketKey}", Cancellation);
        if (recent.Comments.Count == 0)
        {
            return null;
        }

        var ids = recent.Comments.Select(c => long.Parse(c.Id, CultureInfo.InvariantCulture)).ToList();
        var withProperties = await jira.GetCommentsWithPropertiesAsync(new JiraCommentIds(ids), $"read comment properties of {ticketKey}", Cancellation);
        return withProperties.Values.FirstOrDefault(c => HasMarker(c, eventId))?.Id;
    }

    private static bool HasMarker(JiraComment comment, string eventId) =>
        comment.Properties?.Any(p => p.Key == EventMarkerKey
            && p.Value.ValueKind == JsonValueKind.Object
            && p.Value.TryGetProperty("eventId", out var id)
            && id.ValueKind == JsonValueKind.String
            && id.GetString() == eventId) == true;

    private static string? MarkerEventId(JiraComment comment) =>
        comment.Properties?
            .Where(p => p.Key == EventMarkerKey && p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => p.Value.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
            .FirstOrDefault(id => id is not null);

    private static string JqlEscape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static JiraPerson ToPerson(JiraUser? user) =>
        user is null
            ? new JiraPerson(string.Empty, null, null)
            : new JiraPerson(user.AccountId, user.DisplayName, string.IsNullOrWhiteSpace(user.EmailAddress) ? null : user.EmailAddress);
}
