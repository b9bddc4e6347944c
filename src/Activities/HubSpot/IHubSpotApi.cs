using EventProcessor.Activities.Downstream;
using Refit;

namespace EventProcessor.Activities.HubSpot;

/// <summary>
/// HubSpot CRM v3 (contacts, tickets) and v4 (associations). Calls whose "failure" status is an
/// answer (a lookup's 404, a create's 409) return <see cref="ApiResponse{T}"/> and name that status
/// in <c>allowedStatuses</c>, so <see cref="DownstreamHttpHandler"/> lets it through.
/// </summary>
public interface IHubSpotApi
{
    /// <summary><c>GET /crm/v3/objects/contacts/{email}?idProperty=email</c>; 404 when no contact has that email. No search lag.</summary>
    [Get("/crm/v3/objects/contacts/{email}?idProperty=email")]
    Task<ApiResponse<HubSpotObject>> GetContactByEmailAsync(
        string email,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>POST /crm/v3/objects/contacts/batch/upsert</c>, keyed by the inputs' <c>idProperty</c>.</summary>
    [Post("/crm/v3/objects/contacts/batch/upsert")]
    Task<HubSpotBatchResponse> UpsertContactsAsync(
        [Body] HubSpotBatchUpsertRequest request,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /crm/v3/objects/contacts/{id}</c>: sets the given properties, leaves the others.</summary>
    [Patch("/crm/v3/objects/contacts/{contactId}")]
    Task<HubSpotObject> UpdateContactAsync(
        string contactId,
        [Body] HubSpotPropertiesRequest request,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>POST /crm/v3/objects/tickets/search</c>. Eventually consistent: a ticket created seconds ago may be missing.</summary>
    [Post("/crm/v3/objects/tickets/search")]
    Task<HubSpotSearchResponse> SearchTicketsAsync(
        [Body] HubSpotSearchRequest request,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>POST /crm/v3/objects/tickets</c>: 201 with the ticket; 409 (a unique property already used) is returned.</summary>
    [Post("/crm/v3/objects/tickets")]
    Task<ApiResponse<HubSpotObject>> CreateTicketAsync(
        [Body] HubSpotPropertiesRequest request,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /crm/v3/objects/tickets/{id}</c>.</summary>
    [Patch("/crm/v3/objects/tickets/{ticketId}")]
    Task<HubSpotObject> UpdateTicketAsync(
        string ticketId,
        [Body] HubSpotPropertiesRequest request,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>PUT /crm/v4/objects/tickets/{id}/associations/default/contacts/{contactId}</c>; repeating it changes nothing.</summary>
    [Put("/crm/v4/objects/tickets/{ticketId}/associations/default/contacts/{contactId}")]
    Task<HubSpotAssociationResponse> AssociateTicketWithContactAsync(
        string ticketId,
        string contactId,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);
}
