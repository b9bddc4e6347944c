using System.Text.Json;
using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Coalescing;
using EventProcessor.Workflows.Search;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Coalescing;

/// <summary>
/// The coalesced form of the event workflows' idempotent syncs, each with the result the
/// per-event step returned, so callers and results stay the same. Each falls back to the
/// per-event step when <c>Coalescing:Enabled</c> is off.
/// </summary>
/// <remarks>
/// Workflows switch to these behind <c>Workflow.Patched(...)</c>: a run started by an older worker
/// (no patch marker in its history) keeps replaying its per-event steps after a deploy, and new
/// runs record the marker and coalesce. Once no run older than the deploy is open (and the saved
/// test histories are re-recorded), the old branches can go (<c>Workflow.DeprecatePatch</c>).
/// </remarks>
public static class Coalesced
{
    /// <summary>The attribute JSON of the search record (as AlgoliaAttributes writes it).</summary>
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Patch id of the project search syncs.</summary>
    public const string ProjectSearchPatch = "coalesce-project-search";

    /// <summary>Patch id of the HubSpot ticket syncs.</summary>
    public const string HubSpotTicketPatch = "coalesce-hubspot-ticket";

    /// <summary>The project's <c>reports</c>, as <see cref="ProjectReportsSync.SyncAsync"/>.</summary>
    public static async Task<ReportsSynced> ReportsAsync(SyncCompletion sync, string projectUuid, string eventId)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var outcome = await sync.ProjectSearchAsync(projectUuid, eventId, [ProjectSearchParts.Reports]);
        if (outcome?.Project is not { } written)
        {
            return await ProjectReportsSync.SyncAsync(projectUuid);
        }

        return new ReportsSynced(projectUuid, written.Reports, written.AlgoliaTaskId);
    }

    /// <summary>
    /// Attributes the platform (or, for <c>stats</c>, the event) holds, as <see cref="ProjectSearch.UpdateAsync"/>.
    /// <paramref name="direct"/> is the per-event write, for when coalescing is off.
    /// </summary>
    /// <param name="known">The attribute's value when the run already has it (<see cref="ProjectSearchSyncRequest.Known"/>), e.g. <c>stats</c>.</param>
    public static async Task<AlgoliaWriteResult> ProjectAttributesAsync(
        SyncCompletion sync, string projectUuid, string eventId, string part, Func<Task<AlgoliaWriteResult>> direct, object? known = null)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(direct);
        var values = known is null ? null : new Dictionary<string, JsonElement>(StringComparer.Ordinal) { [part] = JsonSerializer.SerializeToElement(known, known.GetType(), Web) };
        var outcome = await sync.ProjectSearchAsync(projectUuid, eventId, [part], values);
        if (outcome?.Project is not { } written)
        {
            return await direct();
        }

        return new AlgoliaWriteResult(projectUuid, written.Attributes, written.AlgoliaTaskId, written.UpdatedAt);
    }
}
