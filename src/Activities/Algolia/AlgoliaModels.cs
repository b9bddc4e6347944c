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
