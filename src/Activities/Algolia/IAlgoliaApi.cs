using System.Text.Json.Nodes;
using EventProcessor.Activities.Downstream;
using Refit;

namespace EventProcessor.Activities.Algolia;

/// <summary>Algolia Search REST v1 (partial update, save object, settings, browse). Index and object ids are path-escaped by Refit.</summary>
public interface IAlgoliaApi
{
    /// <summary>
    /// <c>POST /1/indexes/{index}/{objectID}/partial?createIfNotExists=</c>: plain values replace the
    /// first-level attributes they name; the others stay as they are.
    /// </summary>
    [Post("/1/indexes/{indexName}/{objectId}/partial")]
    Task<AlgoliaWriteResponse> PartialUpdateObjectAsync(
        string indexName,
        string objectId,
        [Query] string createIfNotExists,
        [Body] JsonObject attributes,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>GET /1/indexes/{index}/settings</c>: 404 when the index does not exist (returned, not thrown).</summary>
    [Get("/1/indexes/{indexName}/settings")]
    Task<ApiResponse<JsonObject>> GetSettingsAsync(
        string indexName,
        [Property(DownstreamRequest.AllowedStatusesKey)] int[] allowedStatuses,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary><c>PUT /1/indexes/{index}/{objectID}</c>: creates or replaces the whole record.</summary>
    [Put("/1/indexes/{indexName}/{objectId}")]
    Task<AlgoliaWriteResponse> SaveObjectAsync(
        string indexName,
        string objectId,
        [Body] JsonObject record,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /1/indexes/{index}/browse</c> (needs the <c>browse</c> ACL): up to 1000 records a page
    /// in the index's order; the answer's <c>cursor</c> fetches the next page and is absent on the last.
    /// </summary>
    [Post("/1/indexes/{indexName}/browse")]
    Task<AlgoliaBrowseResponse> BrowseAsync(
        string indexName,
        [Body] AlgoliaBrowseRequest request,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);
}
