using System.Net;
using System.Text.Json;
using EventProcessor.Activities.Configuration;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Options;
using Refit;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.HubSpot;

/// <summary>
/// HubSpot contacts and tickets. Every write is keyed so a rerun lands on the same record: contacts
/// by email and tickets by the unique-value property <c>jira_ticket_key</c>, both through CRM batch
/// upsert with <c>idProperty</c> (no search, so no search lag and no search-then-create race);
/// updates by PATCH on a known id; associations by their PUT. Whatever the path, an "already exists /
/// already has that value" answer (409, or 400 <c>VALIDATION_ERROR</c> naming the key property) means
/// another write got there first: the record is read back by its key and updated, never failed.
/// </summary>
public sealed partial class HubSpotActivities(IHubSpotApi api, IOptions<NotificationsOptions> notifications)
{
    public const string JiraTicketKeyProperty = "jira_ticket_key";

    private const string TicketProperties = JiraTicketKeyProperty + ",subject,hs_pipeline,hs_pipeline_stage";

    private static readonly JsonSerializerOptions ErrorJson = new(JsonSerializerDefaults.Web);

    /// <summary>Statuses an upsert answers when the key's value is taken (and other refusals read the same way).</summary>
    private static readonly int[] ConflictStatuses = [(int)HttpStatusCode.BadRequest, (int)HttpStatusCode.Conflict];

    /// <summary>Creates or updates the contact with this email (batch upsert keyed by email); returns its id.</summary>
    [Activity]
    public async Task<HubSpotContactResult> UpsertContactAsync(string email, IReadOnlyDictionary<string, string> properties)
    {
        RequireEmail(email);
        ArgumentNullException.ThrowIfNull(properties);
        var operation = $"upsert of contact {email}";
        using var response = await api.UpsertContactsAsync(
            new HubSpotBatchUpsertRequest([new HubSpotUpsertInput(email, "email", properties)]),
            ConflictStatuses,
            operation,
            Token()).ConfigureAwait(false);
        var answer = Read(response, operation, "email");
        if (answer.Conflict)
        {
            return await UpdateExistingContactAsync(email, properties).ConfigureAwait(false);
        }

        var result = answer.Results?.FirstOrDefault()
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
    /// configured pipeline, at the stage mapped from the Jira status), in one CRM batch upsert with
    /// <c>idProperty=jira_ticket_key</c>. HubSpot takes an <c>idProperty</c> only when it is a
    /// unique-value property, so <c>jira_ticket_key</c> must be one (a 400 saying otherwise fails
    /// permanently, naming the setup step). Repeating the upsert updates the same ticket. A conflict
    /// (409, or 400 <c>VALIDATION_ERROR</c> naming <c>jira_ticket_key</c>: another writer created it a
    /// moment before) reads the ticket by the key and updates it. Without a Jira status the ticket is
    /// only updated (creating needs a stage).
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
        var properties = TicketPropertiesOf(ticket, key, stage);
        if (stage is null)
        {
            var existing = await FindTicketAsync(key).ConfigureAwait(false)
                ?? throw Permanent("InvalidRequest", $"Creating the HubSpot ticket for {key} needs a pipeline stage, but no Jira status was given.");
            await UpdateTicketAsync(existing.Id, key, properties).ConfigureAwait(false);
            return new HubSpotTicketResult(existing.Id, Created: false, MatchingTickets: 1);
        }

        var operation = $"upsert of the HubSpot ticket for {key}";
        using var response = await api.UpsertTicketsAsync(
            new HubSpotBatchUpsertRequest([new HubSpotUpsertInput(key, JiraTicketKeyProperty, properties)]),
            ConflictStatuses,
            operation,
            Token()).ConfigureAwait(false);
        var answer = Read(response, operation, JiraTicketKeyProperty);
        if (answer.Conflict)
        {
            var existing = await FindTicketAsync(key).ConfigureAwait(false)
                ?? throw DownstreamFailure.Retryable(DownstreamApi.HubSpot, "Conflict",
                    $"HubSpot refused the upsert of the ticket for {key} because another ticket has that {JiraTicketKeyProperty}, "
                    + "but reading it by that key finds none yet; Temporal will retry.");
            await UpdateTicketAsync(existing.Id, key, properties).ConfigureAwait(false);
            return new HubSpotTicketResult(existing.Id, Created: false, MatchingTickets: 1);
        }

        var result = answer.Results?.FirstOrDefault()
            ?? throw Permanent("UpsertRejected", $"HubSpot answered the upsert of the ticket for {key} without a ticket.");
        return new HubSpotTicketResult(result.Id, result.New ?? false, MatchingTickets: 1);
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
        var ticket = await FindTicketAsync(key).ConfigureAwait(false);
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

    /// <summary>The ticket carrying the key, read by the unique-value property (consistent, unlike search).</summary>
    private async Task<HubSpotObject?> FindTicketAsync(string key)
    {
        using var response = await api.GetTicketByUniqueValueAsync(
            key, JiraTicketKeyProperty, TicketProperties, [(int)HttpStatusCode.NotFound], $"read of the HubSpot ticket for {key}", Token()).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.Content ?? throw Permanent("UnexpectedResponse", $"HubSpot answered the read of the ticket for {key} without a ticket.");
    }

    private async Task<HubSpotContactResult> UpdateExistingContactAsync(string email, IReadOnlyDictionary<string, string> properties)
    {
        var contact = await FindContactAsync(email).ConfigureAwait(false)
            ?? throw DownstreamFailure.Retryable(DownstreamApi.HubSpot, "Conflict",
                $"HubSpot refused the upsert of contact {email} because a contact with that email exists, but the lookup by email finds none yet; Temporal will retry.");
        if (properties.Count > 0)
        {
            await api.UpdateContactAsync(
                contact.Id,
                new HubSpotPropertiesRequest(properties),
                $"update of contact {contact.Id} ({email}): {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}",
                Token()).ConfigureAwait(false);
        }

        return new HubSpotContactResult(contact.Id, Created: false);
    }

    /// <summary>
    /// Reads a batch upsert's answer: its records, or whether HubSpot refused it because the key's value
    /// is taken (409, or <c>VALIDATION_ERROR</c> naming <paramref name="keyProperty"/> as already used, in
    /// the body or in the 207's <c>errors[]</c>). Anything else it refused fails permanently with HubSpot's reason.
    /// </summary>
    private static (bool Conflict, IReadOnlyList<HubSpotUpsertResult>? Results) Read(ApiResponse<HubSpotBatchResponse> response, string operation, string keyProperty)
    {
        var status = (int?)response.StatusCode ?? 0;
        if (response.IsSuccessStatusCode)
        {
            if (response.Error is { } unreadable)
            {
                throw unreadable;
            }

            var body = response.Content!;
            if (body.Errors is { Count: > 0 } errors)
            {
                if (errors.Any(e => IsConflict(e, keyProperty)))
                {
                    return (true, null);
                }

                throw Permanent("UpsertRejected", $"HubSpot rejected the {operation}: {Describe(errors[0])}.");
            }

            return (false, body.Results);
        }

        var content = (response.Error as ApiException)?.Content;
        var error = ErrorOf(content);
        if (status == (int)HttpStatusCode.Conflict || (error is not null && IsConflict(error, keyProperty)))
        {
            return (true, null);
        }

        var explanation = ApiErrorMessage.Extract(content) is { } text ? $": {text}" : string.Empty;
        var hint = error?.Message?.Contains("unique", StringComparison.OrdinalIgnoreCase) == true
            ? $" ({keyProperty} must be a unique-value property: HubSpot upserts and reads by idProperty only with those; see docs/side-effects.md)."
            : ".";
        throw Permanent(DownstreamFailure.KindOf(status), $"HubSpot answered {status} {response.ReasonPhrase} to {operation}{explanation}{hint}");
    }

    /// <summary>
    /// "Already exists / already has that value": HubSpot's contact conflict (409, category
    /// <c>CONFLICT</c> or <c>OBJECT_ALREADY_EXISTS</c>) or a unique-value conflict (400 <c>VALIDATION_ERROR</c>
    /// naming the property). A validation error about the value itself (e.g. an invalid email) is not one.
    /// </summary>
    internal static bool IsConflict(HubSpotError error, string keyProperty)
    {
        if (error.Category is "CONFLICT" or "OBJECT_ALREADY_EXISTS")
        {
            return true;
        }

        var message = error.Message ?? string.Empty;
        return error.Category == "VALIDATION_ERROR"
            && message.Contains(keyProperty, StringComparison.OrdinalIgnoreCase)
            && (message.Contains("already", StringComparison.OrdinalIgnoreCase)
                || message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                || message.Contains("_UNIQUE", StringComparison.OrdinalIgnoreCase));
    }

    private Task<HubSpotObject> UpdateTicketAsync(string ticketId, string key, IReadOnlyDictionary<string, string> properties) =>
        api.UpdateTicketAsync(
            ticketId,
            new HubSpotPropertiesRequest(properties),
            $"update of HubSpot ticket {ticketId} ({key}): {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}",
            Token());

    private Dictionary<string, string> TicketPropertiesOf(HubSpotTicketUpsert ticket, string key, string? stage)
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

    private static HubSpotError? ErrorOf(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HubSpotError>(content, ErrorJson);
        }
        catch (JsonException)
        {
            return null;
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
}
