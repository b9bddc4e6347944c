using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EventProcessor.Activities.Algolia;

/// <summary>
/// Algolia's answer to a write (<c>{"objectID","taskID","updatedAt"}</c>). Indexing is asynchronous:
/// the task id can be polled, but nothing here needs the change to be searchable before going on.
/// </summary>
public sealed record AlgoliaWriteResponse(
    [property: JsonPropertyName("objectID")] string ObjectId,
    [property: JsonPropertyName("taskID")] long TaskId,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset? UpdatedAt);

/// <summary>The body of a browse: the next page's cursor (none for the first page), the page size and the attributes wanted.</summary>
public sealed record AlgoliaBrowseRequest(
    [property: JsonPropertyName("cursor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cursor,
    [property: JsonPropertyName("hitsPerPage")] int HitsPerPage,
    [property: JsonPropertyName("attributesToRetrieve")] IReadOnlyList<string> AttributesToRetrieve);

/// <summary>A page of a browse: the records, and the cursor of the next page (absent on the last page).</summary>
public sealed record AlgoliaBrowseResponse(
    [property: JsonPropertyName("hits")] IReadOnlyList<JsonObject>? Hits,
    [property: JsonPropertyName("cursor")] string? Cursor);
