using EventProcessor.Activities.Downstream;
using Refit;

namespace EventProcessor.Activities.HubSpot;

/// <summary>
/// HubSpot CRM v3 (contacts, tickets) and v4 (associations). Calls whose "failure" status is an
/// answer (a lookup's 404, an upsert's conflict) return <see cref="ApiResponse{T}"/> and name that status
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

    /// <summary>
    /// <c>POST /crm/v3/objects/contacts/batch/upsert</c>, keyed by the inputs' <c>idProperty</c>. A
    /// conflict (409, or 400 <c>VALIDATION_ERROR</c>) is returned, not thrown, so the caller can re-read and update.
    /// </summary>
    [Post("/crm/v3/objects/contacts/batch/upsert")]
    Task<ApiResponse<HubSpotBatchResponse>> UpsertContactsAsync(
        [Body] HubSpotBatchUpsertRequest request,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /crm/v3/objects/contacts/{id}</c>: sets the given properties, leaves the others.</summary>
    [Patch("/crm/v3/objects/contacts/{contactId}")]
    Task<HubSpotObject> UpdateContactAsync(
        string contactId,
        [Body] HubSpotPropertiesRequest request,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /crm/v3/objects/tickets/batch/upsert</c>: creates or updates tickets by a unique-value
    /// property (<c>idProperty</c>). A conflict (409, or 400 <c>VALIDATION_ERROR</c>) is returned, not thrown.
    /// </summary>
    [Post("/crm/v3/objects/tickets/batch/upsert")]
    Task<ApiResponse<HubSpotBatchResponse>> UpsertTicketsAsync(
        [Body] HubSpotBatchUpsertRequest request,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /crm/v3/objects/tickets/{value}?idProperty={property}</c>: the ticket whose unique-value
    /// property has that value, read directly (no search lag); 404 when none has it.
    /// </summary>
    [Get("/crm/v3/objects/tickets/{value}")]
    Task<ApiResponse<HubSpotObject>> GetTicketByUniqueValueAsync(
        string value,
        string idProperty,
        string properties,
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
