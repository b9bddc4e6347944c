using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Options;
using Temporalio.Activities;

namespace EventProcessor.Activities.Jira;

/// <summary>
/// Jira and JSM steps of the event workflows. Reads are naturally safe to repeat; the two writes
/// that would duplicate on retry (a comment, a new issue) look for their own marker first: a
/// comment property holding the event id, or a label unique to the business object; and record
/// their intent before writing, so a retry after an unknown outcome does not write blind.
/// </summary>
public sealed class JiraActivities(IJiraApi jira, IJsmApi jsm, IOptions<JiraOptions> options, JiraFieldCatalog fieldCatalog, TimeProvider time)
{
    /// <summary>Comment property marking which event wrote a comment.</summary>
    public const string EventMarkerKey = "eventprocessor.event";

    /// <summary>
    /// JSM's comment property for internal notes when writing through the platform API (widely used
    /// but undocumented): still read, never written; notes are written through the JSM endpoint.
    /// </summary>
    public const string JsmVisibilityKey = "sd.public.comment";

    /// <summary>How many of the newest comments are searched for a marker; a retry follows its first attempt closely.</summary>
    internal const int RecentCommentsSearched = 50;

    internal const int ParticipantsPageSize = 50;

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

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
    /// Adds the comment once per event, however the calls fail. The comment carries the event id as
    /// a comment property (<see cref="EventMarkerKey"/>), and the ticket's recent comments are read
    /// with their properties first (the comment listing, unlike search, shows what Jira has at once).
    /// A public comment is written with its marker in the same call. An internal note goes through
    /// JSM's documented <c>POST /rest/servicedeskapi/request/{key}/comment</c> with <c>public: false</c>,
    /// which takes no properties, so the marker is set right after with the comment property API and
    /// the note is then read back: one JSM shows to the customer fails loudly (<c>JsmInternalNoteIsPublic</c>).
    /// Before any write the attempt records its intent (heartbeat details: the comments seen before);
    /// a retry of a note that finds no marker but a new, unmarked comment with the same text adopts it
    /// (sets the marker) instead of writing a second one.
    /// </summary>
    [Activity]
    public async Task<JiraCommentResult> AddCommentOnceAsync(JiraCommentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = CommentText(request);
        var recent = await RecentCommentsAsync(request.TicketKey);
        if (recent.FirstOrDefault(c => HasMarker(c, request.EventId)) is { } marked)
        {
            JiraLog.CommentAlreadyAdded(ActivityExecutionContext.Current.Logger, request.TicketKey, marked.Id, request.EventId);
            if (request.Internal)
            {
                RequireInternal(request, marked);
            }

            return new JiraCommentResult(marked.Id, AlreadyExisted: true);
        }

        // Only a JSM note can exist without its marker (the marker is a second call); a public comment
        // carries it from the start, so an unmarked one with the same text is someone else's.
        var earlier = request.Internal
            ? await EarlierIntentAsync<JiraCommentIntent>(i => i.TicketKey == request.TicketKey && i.EventId == request.EventId)
            : null;
        if (earlier is not null && Adoptable(recent, earlier, text) is { } written)
        {
            JiraLog.CommentAdopted(ActivityExecutionContext.Current.Logger, request.TicketKey, written.Id, request.EventId);
            await MarkAsync(request, written.Id);
            if (request.Internal)
            {
                await VerifyInternalAsync(request, written.Id);
            }

            return new JiraCommentResult(written.Id, AlreadyExisted: true);
        }

        Heartbeat(new JiraCommentIntent(request.TicketKey, request.EventId, [.. recent.Select(c => c.Id)], time.GetUtcNow()));
        if (request.Internal)
        {
            using var response = await jsm.AddRequestCommentAsync(
                request.TicketKey,
                new JsmNewComment(text, Public: false),
                [(int)HttpStatusCode.NotFound],
                $"add an internal note to {request.TicketKey}",
                Cancellation);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                if (response.Error is { } unreadable)
                {
                    throw unreadable;
                }

                var note = response.Content!;
                await MarkAsync(request, note.Id);
                await VerifyInternalAsync(request, note.Id);
                return new JiraCommentResult(note.Id, AlreadyExisted: false);
            }

            // Not a JSM request: no customer portal exists to hide the note from, so it is a plain comment.
            JiraLog.NotAServiceRequest(ActivityExecutionContext.Current.Logger, request.TicketKey, request.EventId);
        }

        var created = await jira.AddCommentAsync(
            request.TicketKey,
            new JiraNewComment(Adf.FromPlainText(text), [new JiraNewEntityProperty(EventMarkerKey, new { eventId = request.EventId })]),
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

    /// <summary>
    /// Sets fields (custom fields by id, e.g. <c>customfield_10042</c>); a null value clears one. Each
    /// value is written in the form its field's type takes (types read once from <c>GET /rest/api/3/field</c>).
    /// Repeating it sets the same values.
    /// </summary>
    [Activity]
    public async Task UpdateIssueFieldsAsync(string ticketKey, IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            return;
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (id, value) in fields)
        {
            var field = await fieldCatalog.FindAsync(id, () => jira.GetFieldsAsync("read the field types of the Jira site", Cancellation), Cancellation)
                ?? throw DownstreamFailure.Permanent(DownstreamApi.Jira, "FieldNotFound",
                    $"Jira has no field '{id}' (GET /rest/api/3/field does not list it, or the API account cannot see it); check the field ids configured under Notifications:ProjectFields.");
            values[id] = JiraFieldCatalog.ValueFor(field, value);
        }

        await jira.EditIssueAsync(
            ticketKey,
            new JiraIssueUpdate(values),
            $"update fields {string.Join(", ", fields.Keys)} of {ticketKey}",
            Cancellation);
    }

    /// <summary>
    /// Creates the issue with <see cref="JiraIssueRequest.Label"/> unless an issue of the project already
    /// has that label. The label is looked up by JQL search, which Jira does not make consistent with
    /// writes (Atlassian's "search after write" page: a new issue may be missing for seconds to
    /// minutes). So before creating, the attempt records its intent (heartbeat details); a retry after
    /// an unknown outcome (timeout, 5xx, connection lost) keeps looking for the label for
    /// <see cref="JiraOptions.SearchLagWindowSeconds"/> after that create before creating again, within
    /// its attempt while time allows, then through a retryable <c>JiraSearchLag</c>. A first attempt
    /// never waits. The summary is clipped to one line of 255 characters, as Jira requires.
    /// </summary>
    [Activity]
    public async Task<JiraIssueResult> CreateIssueOnceAsync(JiraIssueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetUtcNow();
        Task<JiraIssue?> LookAsync() => FindLabelledAsync(request);
        if (await LookAsync() is { } existing)
        {
            return Found(existing, request.Label);
        }

        var earlier = await EarlierIntentAsync<JiraIssueCreateIntent>(i => i.ProjectKey == request.ProjectKey && i.Label == request.Label);
        if (earlier is not null)
        {
            var what = $"the creation of the {request.Label} issue in {request.ProjectKey}";
            if (await KeepLookingAsync(earlier, earlier.SentAt, started, what, LookAsync) is { } late)
            {
                return Found(late, request.Label);
            }
        }

        Heartbeat(new JiraIssueCreateIntent(request.ProjectKey, request.Label, time.GetUtcNow()));
        var issue = new JiraNewIssue(new JiraNewIssueFields(
            new JiraProjectRef(request.ProjectKey),
            new JiraIssueTypeRef(request.IssueType),
            JiraText.Summary(request.Summary),
            Adf.FromPlainText(request.Description),
            [request.Label]));
        var created = await jira.CreateIssueAsync(issue, $"create the {request.Label} issue in {request.ProjectKey}", Cancellation);
        return new JiraIssueResult(created.Key, settings.BrowseUrl(created.Key), AlreadyExisted: false);
    }

    internal static string OnBehalfOfLine(JiraOnBehalfOf person) =>
        string.IsNullOrWhiteSpace(person.Name)
            ? $"On behalf of <{person.Email}>"
            : $"On behalf of {person.Name.Trim()} <{person.Email}>";

    /// <summary>Public unless JSM says otherwise (<c>jsdPublic</c>, or the older <c>sd.public.comment</c> property) or the comment is restricted.</summary>
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

    internal static string CommentText(JiraCommentRequest request) =>
        request.OnBehalfOf is { } person ? $"{OnBehalfOfLine(person)}\n\n{request.Text}" : request.Text;

    /// <summary>
    /// The comment an earlier attempt wrote without learning it: not among the comments seen before
    /// that write, carrying no event's marker, with the same text (compared without whitespace and
    /// markup, since JSM stores plain text that the platform API reads back as ADF).
    /// </summary>
    internal static JiraComment? Adoptable(IReadOnlyList<JiraComment> recent, JiraCommentIntent earlier, string text)
    {
        var before = earlier.CommentIdsBefore.ToHashSet(StringComparer.Ordinal);
        var wanted = Comparable(text);
        return recent
            .Where(c => !before.Contains(c.Id) && MarkerEventId(c) is null && Comparable(Adf.ToPlainText(c.Body)) == wanted)
            .OrderBy(c => c.Created)
            .FirstOrDefault();
    }

    private static string Comparable(string text) => string.Concat(text.Where(char.IsLetterOrDigit));

    /// <summary>The newest comments of the ticket with their properties (the listing does not return them).</summary>
    private async Task<IReadOnlyList<JiraComment>> RecentCommentsAsync(string ticketKey)
    {
        var recent = await jira.GetCommentsNewestFirstAsync(ticketKey, RecentCommentsSearched, $"list recent comments of {ticketKey}", Cancellation);
        if (recent.Comments.Count == 0)
        {
            return [];
        }

        var ids = recent.Comments.Select(c => long.Parse(c.Id, CultureInfo.InvariantCulture)).ToList();
        var withProperties = await jira.GetCommentsWithPropertiesAsync(new JiraCommentIds(ids), $"read comment properties of {ticketKey}", Cancellation);
        return withProperties.Values;
    }

    private Task MarkAsync(JiraCommentRequest request, string commentId) =>
        jira.SetCommentPropertyAsync(
            commentId,
            EventMarkerKey,
            new { eventId = request.EventId },
            $"mark comment {commentId} of {request.TicketKey} as written for event {request.EventId}",
            Cancellation);

    /// <summary>Reads the note back: JSM must show it to agents only.</summary>
    private async Task VerifyInternalAsync(JiraCommentRequest request, string commentId)
    {
        var page = await jira.GetCommentsWithPropertiesAsync(
            new JiraCommentIds([long.Parse(commentId, CultureInfo.InvariantCulture)]), $"check the visibility of comment {commentId} of {request.TicketKey}", Cancellation);
        var comment = page.Values.FirstOrDefault(c => c.Id == commentId)
            ?? throw DownstreamFailure.Retryable(DownstreamApi.Jira, "CommentNotFound",
                $"Comment {commentId} of {request.TicketKey} was written but cannot be read back yet; Temporal will retry.");
        RequireInternal(request, comment);
    }

    private static void RequireInternal(JiraCommentRequest request, JiraComment comment)
    {
        if (comment.JsdPublic != false)
        {
            throw DownstreamFailure.Permanent(DownstreamApi.Jsm, "InternalNoteIsPublic",
                $"The internal note for event {request.EventId} on {request.TicketKey} (comment {comment.Id}) is visible to the customer "
                + "(jsdPublic is not false): JSM did not keep it internal. Check that the API account is an agent of the service project, "
                + "and hide or delete the comment by hand.");
        }
    }

    private async Task<JiraIssue?> FindLabelledAsync(JiraIssueRequest request)
    {
        var jql = $"project = \"{JqlEscape(request.ProjectKey)}\" AND labels = \"{JqlEscape(request.Label)}\" ORDER BY created ASC";
        var found = await jira.SearchAsync(jql, "summary,labels", 1, $"look for an issue labelled {request.Label} in {request.ProjectKey}", cancellationToken: Cancellation);
        return found.Issues.FirstOrDefault();
    }

    private JiraIssueResult Found(JiraIssue issue, string label)
    {
        JiraLog.IssueAlreadyExists(ActivityExecutionContext.Current.Logger, issue.Key, label);
        return new JiraIssueResult(issue.Key, settings.BrowseUrl(issue.Key), AlreadyExisted: true);
    }

    /// <summary>
    /// Looks again, pausing on the injected clock (5 s, doubling up to 30 s), until what an earlier
    /// attempt sent at <paramref name="sentAt"/> shows or the window after it has passed (then null:
    /// the write did not happen). When the attempt's own time runs short it fails retryably and the
    /// next attempt goes on looking, still measuring from <paramref name="sentAt"/>.
    /// </summary>
    private async Task<T?> KeepLookingAsync<T>(object intent, DateTimeOffset sentAt, DateTimeOffset attemptStarted, string what, Func<Task<T?>> look)
        where T : class
    {
        var lookUntil = sentAt + settings.SearchLagWindow;
        Heartbeat(intent);
        if (time.GetUtcNow() >= lookUntil)
        {
            return null;
        }

        JiraLog.LookingForEarlierWrite(ActivityExecutionContext.Current.Logger, what, sentAt, lookUntil);
        var attemptEnds = ActivityExecutionContext.Current.Info.StartToCloseTimeout is { } startToClose
            ? attemptStarted + startToClose - settings.Timeout - settings.Timeout
            : DateTimeOffset.MaxValue;
        var pause = settings.SearchPoll;
        while (true)
        {
            var now = time.GetUtcNow();
            if (now >= lookUntil)
            {
                return null;
            }

            var wait = pause < lookUntil - now ? pause : lookUntil - now;
            if (now + wait >= attemptEnds)
            {
                throw DownstreamFailure.Retryable(DownstreamApi.Jira, "SearchLag",
                    $"An earlier attempt sent {what} at {sentAt.ToString("O", CultureInfo.InvariantCulture)} without learning the outcome, and "
                    + $"Jira's search does not show it yet; Temporal will retry, and the retry looks again until {lookUntil.ToString("O", CultureInfo.InvariantCulture)} before writing again.",
                    TimeSpan.FromSeconds(1));
            }

            await Task.Delay(wait, time, Cancellation);
            Heartbeat(intent);
            if (await look() is { } found)
            {
                return found;
            }

            pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
        }
    }

    /// <summary>The intent an earlier attempt of this activity recorded, when it concerns the same write.</summary>
    private static async Task<TIntent?> EarlierIntentAsync<TIntent>(Func<TIntent, bool> same)
        where TIntent : class
    {
        if (!ActivityExecutionContext.HasCurrent || ActivityExecutionContext.Current.Info.HeartbeatDetails.Count == 0)
        {
            return null;
        }

        try
        {
            var intent = await ActivityExecutionContext.Current.Info.HeartbeatDetailAtAsync<TIntent>(0);
            return intent is not null && same(intent) ? intent : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Details of another shape (an older version of the activity): no usable intent.
            return null;
        }
    }

    private static void Heartbeat(object intent)
    {
        if (ActivityExecutionContext.HasCurrent)
        {
            ActivityExecutionContext.Current.Heartbeat(intent);
        }
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
