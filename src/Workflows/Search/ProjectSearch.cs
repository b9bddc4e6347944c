using System.Text.Json;
using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Search;

/// <summary>
/// Writes to a project's search record (objectID = project uuid) and the shapes of the attributes
/// several workflows write, so every writer produces the same JSON the frontend reads.
/// </summary>
public static class ProjectSearch
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Replaces the given first-level attributes; a project missing from the index is not created.</summary>
    /// <param name="projectUuid">The record's objectID.</param>
    /// <param name="attributes">An object whose properties are the attributes, e.g. <c>new { stats }</c>.</param>
    /// <param name="what">What is written, for the step's summary (e.g. "the metadata").</param>
    public static Task<AlgoliaWriteResult> UpdateAsync(string projectUuid, object attributes, string what)
    {
        var map = AlgoliaAttributes.From(attributes);
        return Workflow.ExecuteActivityAsync(
            (AlgoliaActivities a) => a.PartialUpdateProjectAsync(projectUuid, map),
            ActivityProfiles.Algolia($"Update {what} of project {projectUuid} in search"));
    }

    /// <summary>Creates or replaces the project's whole record.</summary>
    public static Task<AlgoliaWriteResult> SaveAsync(string projectUuid, object document, string what)
    {
        var map = AlgoliaAttributes.From(document);
        return Workflow.ExecuteActivityAsync(
            (AlgoliaActivities a) => a.SaveProjectAsync(projectUuid, map),
            ActivityProfiles.Algolia($"Save {what} as the search record of project {projectUuid}"));
    }

    /// <summary>The <c>userIds</c> attribute: the ids of the project's users, distinct and sorted (stable, so a repeat writes the same).</summary>
    public static IReadOnlyList<string> UserIds(IEnumerable<PlatformUser> users) =>
        [.. users.Select(u => u.UserId).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The <c>metadata</c> attribute: the platform's free-form metadata unchanged, an empty object when it has none.</summary>
    public static JsonElement Metadata(PlatformProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Metadata is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } metadata ? metadata : EmptyObject;
    }
}
