using System.Text.Json;
using System.Text.Json.Nodes;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Options;
using Temporalio.Activities;

namespace EventProcessor.Activities.Algolia;

/// <summary>What an Algolia write did: the record, the attributes written and Algolia's indexing task.</summary>
/// <param name="ObjectId">The record's objectID (the project uuid).</param>
/// <param name="Attributes">First-level attributes sent, sorted.</param>
/// <param name="TaskId">Algolia's asynchronous indexing task.</param>
/// <param name="UpdatedAt">When Algolia accepted the write.</param>
public sealed record AlgoliaWriteResult(string ObjectId, IReadOnlyList<string> Attributes, long TaskId, DateTimeOffset? UpdatedAt);

/// <summary>A record of the projects index as a browse returned it: its objectID and the attributes asked for that it has.</summary>
public sealed record AlgoliaProjectRecord(string ObjectId, IReadOnlyDictionary<string, JsonElement> Attributes);

/// <summary>A page of the projects index; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AlgoliaProjectPage(IReadOnlyList<AlgoliaProjectRecord> Records, string? NextCursor);

/// <summary>
/// Writes to the projects index (objectID = project uuid). Both activities set whole attributes,
/// so running one twice leaves the same record: arrays such as <c>reports</c> are replaced, never
/// appended to, and the non-replayable <c>_operation</c>s (Add, Increment, ...) are refused.
/// </summary>
public sealed class AlgoliaActivities(IAlgoliaApi api, IOptions<AlgoliaOptions> options)
{
    /// <summary>Built-in operations whose replay changes the record again (Algolia's partial-update built-in operations).</summary>
    private static readonly HashSet<string> NonIdempotentOperations =
        new(["Add", "Increment", "Decrement", "IncrementFrom", "IncrementSet"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Algolia's browse serves at most 1000 records a page.</summary>
    private const int MaxBrowsePage = 1000;

    private readonly AlgoliaOptions settings = options.Value;

    /// <summary>
    /// Replaces the given first-level attributes of the project's record, never creating it
    /// (<c>createIfNotExists=false</c>: a project that is not indexed yet must not become a stub
    /// record). Algolia answers the same 200 whether or not the record exists (a missing one is
    /// silently left absent), so the result cannot say whether it existed; the full record is
    /// written by <see cref="SaveProjectAsync"/> when the project is created.
    /// </summary>
    [Activity]
    public async Task<AlgoliaWriteResult> PartialUpdateProjectAsync(string projectUuid, IReadOnlyDictionary<string, JsonElement> attributes)
    {
        var body = ToRecord(projectUuid, attributes, "partial update");
        RequireSize(projectUuid, body, "partial update");
        var response = await api.PartialUpdateObjectAsync(
            settings.ProjectsIndex,
            projectUuid,
            createIfNotExists: "false",
            body,
            $"partial update of project {projectUuid} ({string.Join(", ", AttributeNames(attributes))}) in index {settings.ProjectsIndex}",
            CancellationToken()).ConfigureAwait(false);
        return new AlgoliaWriteResult(response.ObjectId, AttributeNames(attributes), response.TaskId, response.UpdatedAt);
    }

    /// <summary>Creates or replaces the project's whole record (attributes not given are removed).</summary>
    [Activity]
    public async Task<AlgoliaWriteResult> SaveProjectAsync(string projectUuid, IReadOnlyDictionary<string, JsonElement> document)
    {
        var body = ToRecord(projectUuid, document, "save");
        body["objectID"] = projectUuid;
        RequireSize(projectUuid, body, "save");
        var response = await api.SaveObjectAsync(
            settings.ProjectsIndex,
            projectUuid,
            body,
            $"save of project {projectUuid} in index {settings.ProjectsIndex}",
            CancellationToken()).ConfigureAwait(false);
        return new AlgoliaWriteResult(response.ObjectId, AttributeNames(document), response.TaskId, response.UpdatedAt);
    }

    /// <summary>
    /// Reads one page of the projects index (<c>POST /1/indexes/{index}/browse</c>, which needs the
    /// <c>browse</c> ACL): only <paramref name="attributes"/> are fetched, so a page stays small. A read,
    /// safe to repeat; the same cursor gives the same page.
    /// </summary>
    /// <param name="cursor">The cursor the previous page answered; null for the first page.</param>
    /// <param name="hitsPerPage">Records a page, 1 to 1000 (Algolia's limit).</param>
    /// <param name="attributes">First-level attributes to fetch (objectID always comes).</param>
    [Activity]
    public async Task<AlgoliaProjectPage> BrowseProjectsAsync(string? cursor, int hitsPerPage, IReadOnlyList<string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (hitsPerPage is < 1 or > MaxBrowsePage)
        {
            throw Invalid($"Algolia browse of index {settings.ProjectsIndex} asks for {hitsPerPage} records a page; Algolia serves 1 to {MaxBrowsePage}.");
        }

        var response = await api.BrowseAsync(
            settings.ProjectsIndex,
            new AlgoliaBrowseRequest(string.IsNullOrEmpty(cursor) ? null : cursor, hitsPerPage, attributes),
            $"browse of index {settings.ProjectsIndex} ({(cursor is null ? "first page" : "next page")}, {hitsPerPage} a page)",
            CancellationToken()).ConfigureAwait(false);
        var wanted = attributes.ToHashSet(StringComparer.Ordinal);
        var records = (response.Hits ?? [])
            .Where(hit => hit["objectID"] is JsonValue id && id.TryGetValue<string>(out _))
            .Select(hit => new AlgoliaProjectRecord(
                hit["objectID"]!.GetValue<string>(),
                hit.Where(p => wanted.Contains(p.Key)).ToDictionary(
                    p => p.Key,
                    p => JsonSerializer.SerializeToElement(p.Value),
                    StringComparer.Ordinal)))
            .ToList();
        return new AlgoliaProjectPage(records, string.IsNullOrEmpty(response.Cursor) ? null : response.Cursor);
    }

    private static JsonObject ToRecord(string projectUuid, IReadOnlyDictionary<string, JsonElement> attributes, string what)
    {
        if (string.IsNullOrWhiteSpace(projectUuid))
        {
            throw Invalid($"Algolia {what} needs a project uuid (the record's objectID).");
        }

        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            throw Invalid($"Algolia {what} of project {projectUuid} names no attribute.");
        }

        var record = new JsonObject();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (string.Equals(name, "objectID", StringComparison.Ordinal))
            {
                throw Invalid($"Algolia {what} of project {projectUuid} must not set objectID: the project uuid is the record's id.");
            }

            if (value.ValueKind == JsonValueKind.Object
                && value.TryGetProperty("_operation", out var operation)
                && operation.ValueKind == JsonValueKind.String
                && NonIdempotentOperations.Contains(operation.GetString()!))
            {
                throw Invalid($"Algolia {what} of project {projectUuid} uses the '{operation.GetString()}' operation on '{name}', "
                    + "which a retry would apply twice; send the attribute's whole value instead.");
            }

            record[name] = JsonNode.Parse(value.GetRawText());
        }

        return record;
    }

    /// <summary>
    /// Refuses a record above the plan's size before sending it, naming the object: Algolia would
    /// answer "Record ... is too big" (a partial update is checked on what it sends, a lower bound).
    /// </summary>
    private void RequireSize(string projectUuid, JsonObject body, string what)
    {
        var size = System.Text.Encoding.UTF8.GetByteCount(body.ToJsonString());
        if (size > settings.MaxRecordBytes)
        {
            var largest = body.OrderByDescending(p => p.Value?.ToJsonString().Length ?? 0).First().Key;
            throw DownstreamFailure.Permanent(DownstreamApi.Algolia, "RecordTooLarge",
                $"Algolia {what} of project {projectUuid} (objectID {projectUuid}) in index {settings.ProjectsIndex} is {size} bytes; "
                + $"the plan accepts at most {settings.MaxRecordBytes} (setting 'Algolia:MaxRecordBytes'). Its largest attribute is '{largest}': send less of it.");
        }
    }

    private static List<string> AttributeNames(IReadOnlyDictionary<string, JsonElement> attributes) =>
        attributes.Keys.Order(StringComparer.Ordinal).ToList();

    private static Temporalio.Exceptions.ApplicationFailureException Invalid(string message) =>
        DownstreamFailure.Permanent(DownstreamApi.Algolia, "InvalidRequest", message);

    private static CancellationToken CancellationToken() =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : default;
}
