namespace EventProcessor.Activities.HubSpot;

/// <summary>The contact an upsert wrote.</summary>
/// <param name="ContactId">HubSpot's record id.</param>
/// <param name="Created">True when the upsert created the contact.</param>
public sealed record HubSpotContactResult(string ContactId, bool Created);

/// <summary>Outcome of setting properties on an existing contact.</summary>
/// <param name="Found">False when no contact has the email; nothing was written then.</param>
/// <param name="ContactId">The contact updated, when found.</param>
public sealed record HubSpotContactUpdate(bool Found, string? ContactId);

/// <summary>The HubSpot ticket mirroring a Jira ticket, found by the <c>jira_ticket_key</c> property.</summary>
/// <param name="JiraTicketKey">Jira key, e.g. <c>SUP-1234</c>; written to <c>jira_ticket_key</c>.</param>
/// <param name="Subject">Ticket subject (required by HubSpot to create).</param>
/// <param name="JiraStatus">Jira status; mapped to <c>hs_pipeline_stage</c> by <c>Notifications:HubSpotStageByJiraStatus</c>. Required to create.</param>
/// <param name="Properties">Further ticket properties (e.g. <c>hs_ticket_priority</c>, a Jira link property), by internal name.</param>
public sealed record HubSpotTicketUpsert(
    string JiraTicketKey,
    string Subject,
    string? JiraStatus = null,
    IReadOnlyDictionary<string, string>? Properties = null);

/// <summary>The ticket an upsert wrote.</summary>
/// <param name="TicketId">HubSpot's ticket id.</param>
/// <param name="Created">True when this call created it.</param>
/// <param name="MatchingTickets">Tickets carrying the key: 1 (the key is a unique-value property, so HubSpot keeps it on one ticket).</param>
public sealed record HubSpotTicketResult(string TicketId, bool Created, int MatchingTickets);

/// <summary>Outcome of associating a ticket with a contact.</summary>
/// <param name="Associated">False when no contact has the email; nothing was written then.</param>
/// <param name="ContactId">The contact associated, when found.</param>
public sealed record HubSpotAssociationResult(bool Associated, string? ContactId);

/// <summary>Outcome of moving a ticket to the stage mapped from a Jira status.</summary>
/// <param name="Found">False when no HubSpot ticket carries the Jira key (yet).</param>
/// <param name="TicketId">The ticket, when found.</param>
/// <param name="StageId">The pipeline stage the Jira status maps to.</param>
/// <param name="Changed">False when the ticket already was in that stage.</param>
public sealed record HubSpotStageChange(bool Found, string? TicketId, string StageId, bool Changed);
