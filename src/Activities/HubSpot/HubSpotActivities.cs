using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Options;
using Refit;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.HubSpot;

/// <summary>
/// HubSpot contacts and tickets. Every write is keyed so a rerun lands on the same record: contacts
/// by email (batch upsert, PATCH by id), tickets by the <c>jira_ticket_key</c> property, associations
/// by their PUT. Ticket lookups go through search, which is eventually consistent; see
/// <see cref="UpsertTicketAsync"/> for how duplicates are kept out.
/// </summary>
public sealed partial class HubSpotActivities(IHubSpotApi api, IOptions<NotificationsOptions> notifications, TimeProvider time)
{
    public const string JiraTicketKeyProperty = "jira_ticket_key";

    /// <summary>How long after a create HubSpot's search may still miss the new ticket (typically a few seconds).</summary>
    public static readonly TimeSpan SearchLagWindow = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions ErrorJson = new(JsonSerializerDefaults.Web);

    /// <summary>Creates or updates the contact with this email (batch upsert keyed by email); returns its id.</summary>
    [Activity]
    public async Task<HubSpotContactResult> UpsertContactAsync(string email, IReadOnlyDictionary<string, string> properties)
    {
        RequireEmail(email);
        ArgumentNullException.ThrowIfNull(properties);
        var response = await api.UpsertContactsAsync(
            new HubSpotBatchUpsertRequest([new HubSpotUpsertInput(email, "email", properties)]),
            $"upsert of contact {email}",
            Token()).ConfigureAwait(false);
        if (response.Errors is { Count: > 0 } errors)
        {
            throw Permanent("UpsertRejected", $"HubSpot rejected the upsert of contact {email}: {Describe(errors[0])}.");
        }

        var result = response.Results?.FirstOrDefault()
            ?? throw Permanent("UpsertRejected", $"HubSpot answered the upsert of contact {email} without a record.");
        return new HubSpotContactResult(result.Id, result.New ?? false);
    }

    /// <summary>
    /// Sets properties on the contact with this email, if there is one. It never creates a contact:
    /// a missing one may have been deleted on purpose (e.g. a privacy request), and
    /// <see cref="UpsertContactAsync"/> is the step that creates contacts.
    /// </summary>
    [Activity]
    public async Task<HubSpotContactUpdate> SetContactPropertiesAsync(string email, IReadOnlyDictionary<string, string> properties)
    {
        RequireEmail(email);
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.Count == 0)
        {
            throw Permanent("InvalidRequest", $"Setting properties on contact {email} needs at least one property.");
        }

        var contact = await FindContactAsync(email).ConfigureAwait(false);
        if (contact is null)
        {
            return new HubSpotContactUpdate(Found: false, ContactId: null);
        }

        await api.UpdateContactAsync(
            contact.Id,
            new HubSpotPropertiesRequest(properties),
            $"update of contact {contact.Id} ({email}): {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}",
            Token()).ConfigureAwait(false);
        return new HubSpotContactUpdate(Found: true, contact.Id);
    }

    /// <summary>
    /// Updates the ticket whose <c>jira_ticket_key</c> is the Jira key, or creates it (in the
    /// configured pipeline, at the stage mapped from the Jira status).
    /// Search is eventually consistent, so a search right after a create can miss the new ticket.
    /// Duplicates are limited three ways: (1) of several matches the oldest is updated, so they do
    /// not multiply; (2) before creating, the attempt records a heartbeat, and a retry whose search
    /// still finds nothing within <see cref="SearchLagWindow"/> of that create fails with a
    /// retryable <c>HubSpotSearchLag</c> delayed until the window has passed, instead of creating
    /// again; (3) a 409 to the create (when <c>jira_ticket_key</c> is a unique-value property)
    /// names the existing ticket, which is then updated. Two workflows creating the same ticket in
    /// the same seconds can still race unless the property is unique-value.
    /// </summary>
    [Activity]
    public async Task<HubSpotTicketResult> UpsertTicketAsync(HubSpotTicketUpsert ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = RequireTicketKey(ticket.JiraTicketKey);
        if (string.IsNullOrWhiteSpace(ticket.Subject))
        {
            throw Permanent("InvalidRequest", $"The HubSpot ticket for {key} needs a subject.");
        }

        var stage = ticket.JiraStatus is null ? null : StageFor(ticket.JiraStatus);
        var properties = TicketProperties(ticket, key, stage);
        var (existing, matches) = await FindTicketAsync(key).ConfigureAwait(false);
        if (existing is not null)
        {
            await UpdateTicketAsync(existing.Id, key, properties).ConfigureAwait(false);
            return new HubSpotTicketResult(existing.Id, Created: false, matches);
        }

        if (stage is null)
        {
            throw Permanent("InvalidRequest", $"Creating the HubSpot ticket for {key} needs a pipeline stage, but no Jira status was given.");
        }

        await WaitOutEarlierCreateAsync(key).ConfigureAwait(false);
        RecordCreateAttempt(key);
        using var response = await api.CreateTicketAsync(
            new HubSpotPropertiesRequest(properties),
            [(int)HttpStatusCode.Conflict],
            $"creation of the HubSpot ticket for {key}",
            Token()).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            var created = response.Content ?? throw Permanent("UnexpectedResponse", $"HubSpot answered the creation of the ticket for {key} without a ticket.");
            return new HubSpotTicketResult(created.Id, Created: true, MatchingTickets: 0);
        }

        var existingId = ExistingIdFrom(response.Error as ApiException)
            ?? throw DownstreamFailure.Retryable(DownstreamApi.HubSpot, "Conflict",
                $"HubSpot answered 409 to the creation of the ticket for {key} without naming the existing ticket: {ErrorMessage(response.Error as ApiException)}; "
                + "Temporal will retry, and the search will then find it.", SearchLagWindow);
        await UpdateTicketAsync(existingId, key, properties).ConfigureAwait(false);
        return new HubSpotTicketResult(existingId, Created: false, MatchingTickets: 1);
    }

    /// <summary>Associates the ticket with the contact having this email (default association, ticket→contact), if that contact exists.</summary>
    [Activity]
    public async Task<HubSpotAssociationResult> AssociateTicketWithContactAsync(string ticketId, string contactEmail)
    {
        if (string.IsNullOrWhiteSpace(ticketId))
        {
            throw Permanent("InvalidRequest", "Associating a HubSpot ticket needs its id.");
        }

        RequireEmail(contactEmail);
        var contact = await FindContactAsync(contactEmail).ConfigureAwait(false);
        if (contact is null)
        {
            return new HubSpotAssociationResult(Associated: false, ContactId: null);
        }

        await api.AssociateTicketWithContactAsync(
            ticketId,
            contact.Id,
            $"association of ticket {ticketId} with contact {contact.Id} ({contactEmail})",
            Token()).ConfigureAwait(false);
        return new HubSpotAssociationResult(Associated: true, contact.Id);
    }

    /// <summary>
    /// Moves the ticket carrying the Jira key to the stage configured for the Jira status. An
    /// unmapped status is a configuration gap: a non-retryable <c>HubSpotStageNotMapped</c> naming
    /// the status and the setting. A ticket not found (not created yet, or not searchable yet) is
    /// reported, not failed.
    /// </summary>
    [Activity]
    public async Task<HubSpotStageChange> MoveTicketToStageAsync(string jiraTicketKey, string jiraStatus)
    {
        var key = RequireTicketKey(jiraTicketKey);
        var stage = StageFor(jiraStatus);
        var (ticket, _) = await FindTicketAsync(key).ConfigureAwait(false);
        if (ticket is null)
        {
            return new HubSpotStageChange(Found: false, TicketId: null, stage, Changed: false);
        }

        if (ticket.Properties?.GetValueOrDefault("hs_pipeline_stage") == stage)
        {
            return new HubSpotStageChange(Found: true, ticket.Id, stage, Changed: false);
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["hs_pipeline_stage"] = stage };
        if (notifications.Value.HubSpotPipelineId is { Length: > 0 } pipeline)
        {
            properties["hs_pipeline"] = pipeline;
        }

        await UpdateTicketAsync(ticket.Id, key, properties).ConfigureAwait(false);
        return new HubSpotStageChange(Found: true, ticket.Id, stage, Changed: true);
    }

    private async Task<HubSpotObject?> FindContactAsync(string email)
    {
        using var response = await api.GetContactByEmailAsync(
            email, [(int)HttpStatusCode.NotFound], $"lookup of contact {email}", Token()).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.Content ?? throw Permanent("UnexpectedResponse", $"HubSpot answered the lookup of contact {email} without a contact.");
    }

    /// <summary>The oldest ticket carrying the key, and how many do.</summary>
    private async Task<(HubSpotObject? Ticket, int Matches)> FindTicketAsync(string key)
    {
        var response = await api.SearchTicketsAsync(
            new HubSpotSearchRequest(
                [new HubSpotFilterGroup([new HubSpotFilter(JiraTicketKeyProperty, "EQ", key)])],
                [JiraTicketKeyProperty, "subject", "hs_pipeline", "hs_pipeline_stage"],
                [new HubSpotSort("createdate", "ASCENDING")],
                Limit: 1),
            $"search of the HubSpot ticket for {key}",
            Token()).ConfigureAwait(false);
        return (response.Results.FirstOrDefault(), response.Total);
    }

    private Task<HubSpotObject> UpdateTicketAsync(string ticketId, string key, IReadOnlyDictionary<string, string> properties) =>
        api.UpdateTicketAsync(
            ticketId,
            new HubSpotPropertiesRequest(properties),
            $"update of HubSpot ticket {ticketId} ({key}): {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}",
            Token());

    private Dictionary<string, string> TicketProperties(HubSpotTicketUpsert ticket, string key, string? stage)
    {
        var properties = new Dictionary<string, string>(ticket.Properties ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [JiraTicketKeyProperty] = key,
            ["subject"] = ticket.Subject,
        };
        if (stage is not null)
        {
            properties["hs_pipeline_stage"] = stage;
            if (notifications.Value.HubSpotPipelineId is { Length: > 0 } pipeline)
            {
                properties["hs_pipeline"] = pipeline;
            }
        }

        return properties;
    }

    private string StageFor(string jiraStatus)
    {
        var map = notifications.Value.HubSpotStageByJiraStatus;
        var stage = map.FirstOrDefault(entry => string.Equals(entry.Key, jiraStatus?.Trim(), StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrWhiteSpace(stage))
        {
            var known = map.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", map.Keys.Order(StringComparer.OrdinalIgnoreCase));
            throw Permanent("StageNotMapped",
                $"Jira status '{jiraStatus}' has no HubSpot pipeline stage; add it to setting "
                + $"'{NotificationsOptions.SectionName}:{nameof(NotificationsOptions.HubSpotStageByJiraStatus)}' ({known}).");
        }

        return stage;
    }

    private async Task WaitOutEarlierCreateAsync(string key)
    {
        if (!ActivityExecutionContext.HasCurrent || ActivityExecutionContext.Current.Info.HeartbeatDetails.Count == 0)
        {
            return;
        }

        var earlier = await ActivityExecutionContext.Current.Info.HeartbeatDetailAtAsync<HubSpotTicketCreateAttempt>(0).ConfigureAwait(false);
        var searchableFrom = earlier.SentAt + SearchLagWindow;
        var now = time.GetUtcNow();
        if (earlier.JiraTicketKey == key && now < searchableFrom)
        {
            throw DownstreamFailure.Retryable(DownstreamApi.HubSpot, "SearchLag",
                $"An earlier attempt sent the creation of the HubSpot ticket for {key} at {earlier.SentAt.ToString("O", CultureInfo.InvariantCulture)} "
                + "without learning the outcome, and search does not show the ticket yet; Temporal will retry once the search index "
                + "has caught up rather than risk a duplicate.",
                searchableFrom - now);
        }
    }

    private void RecordCreateAttempt(string key)
    {
        if (ActivityExecutionContext.HasCurrent)
        {
            ActivityExecutionContext.Current.Heartbeat(new HubSpotTicketCreateAttempt(key, time.GetUtcNow()));
        }
    }

    /// <summary>HubSpot names the record a 409 collided with: "… already exists. Existing ID: 123".</summary>
    private static string? ExistingIdFrom(ApiException? error)
    {
        var match = ExistingIdPattern().Match(ErrorMessage(error) ?? string.Empty);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? ErrorMessage(ApiException? error)
    {
        if (string.IsNullOrEmpty(error?.Content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HubSpotError>(error.Content, ErrorJson)?.Message ?? error.Content;
        }
        catch (JsonException)
        {
            return error.Content;
        }
    }

    private static string Describe(HubSpotError error) =>
        error.Category is null ? error.Message ?? "no reason given" : $"{error.Message} ({error.Category})";

    private static void RequireEmail(string email)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            throw Permanent("InvalidRequest", $"'{email}' is not an email address, so no HubSpot contact can be keyed by it.");
        }
    }

    private static string RequireTicketKey(string jiraTicketKey) =>
        string.IsNullOrWhiteSpace(jiraTicketKey)
            ? throw Permanent("InvalidRequest", "A HubSpot ticket is keyed by its Jira ticket key, and none was given.")
            : jiraTicketKey.Trim();

    private static ApplicationFailureException Permanent(string kind, string message) =>
        DownstreamFailure.Permanent(DownstreamApi.HubSpot, kind, message);

    private static CancellationToken Token() =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : default;

    [GeneratedRegex(@"Existing ID:\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex ExistingIdPattern();
}
