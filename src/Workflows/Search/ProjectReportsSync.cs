using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Common;
using EventProcessor.Workflows.Lookups;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Search;

/// <summary>What a reports sync wrote to the search index.</summary>
public sealed record ReportsSynced(string ProjectUuid, int Reports, long AlgoliaTaskId);

/// <summary>
/// Re-syncs a project's <c>reports</c> list in the search index: the whole array is replaced (safe
/// to repeat) and a project missing from the index is not created. Shared by every report event.
/// </summary>
public static class ProjectReportsSync
{
    /// <summary>The report's project: the event's own <paramref name="projectUuid"/>, else the platform's answer.</summary>
    public static async Task<string> ProjectOfReportAsync(string reportId, string? projectUuid)
    {
        if (!string.IsNullOrWhiteSpace(projectUuid))
        {
            return projectUuid;
        }

        var report = await PlatformLookups.ReportAsync(reportId);
        return report.ProjectUuid;
    }

    public static async Task<ReportsSynced> SyncAsync(string projectUuid) =>
        await WriteAsync(projectUuid, await PlatformLookups.ProjectReportsAsync(projectUuid));

    /// <summary>The write half of <see cref="SyncAsync"/>, for a workflow that also uses the reports it read (e.g. a report's name in a mail).</summary>
    public static async Task<ReportsSynced> WriteAsync(string projectUuid, IReadOnlyList<PlatformReportSummary> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var attributes = AlgoliaAttributes.From(new { reports = ReportsAttribute(reports) });
        var write = await Workflow.ExecuteActivityAsync(
            (AlgoliaActivities a) => a.PartialUpdateProjectAsync(projectUuid, attributes),
            ActivityProfiles.Algolia($"Replace the {reports.Count} reports of project {projectUuid} in search"));
        return new ReportsSynced(projectUuid, reports.Count, write.TaskId);
    }

    /// <summary>The <c>reports</c> attribute as the frontend reads it; also written whole by ProjectCreated.</summary>
    public static IReadOnlyList<object> ReportsAttribute(IEnumerable<PlatformReportSummary> reports) =>
        [.. reports.Select(r => (object)new { id = r.Id, name = r.Name, status = r.Status, updatedAt = r.UpdatedAt })];
}
