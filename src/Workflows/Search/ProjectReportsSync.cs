using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Downstream;
using EventProcessor.Activities.Platform;
using EventProcessor.Workflows.Common;
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

        var report = await Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetReportAsync(reportId),
                ActivityProfiles.Platform($"Fetch report {reportId}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ReportNotFound", $"Report {reportId} does not exist on the platform");
        return report.ProjectUuid;
    }

    public static async Task<ReportsSynced> SyncAsync(string projectUuid)
    {
        var reports = await Workflow.ExecuteActivityAsync(
                (PlatformActivities a) => a.GetProjectReportsAsync(projectUuid),
                ActivityProfiles.Platform($"Fetch the reports of project {projectUuid}"))
            .OrFailWhenNotFoundAsync(DownstreamApi.Platform, "ProjectNotFound", $"Project {projectUuid} does not exist on the platform");
        var attributes = AlgoliaAttributes.From(new
        {
            reports = reports.Select(r => new { id = r.Id, name = r.Name, status = r.Status, updatedAt = r.UpdatedAt }),
        });
        var write = await Workflow.ExecuteActivityAsync(
            (AlgoliaActivities a) => a.PartialUpdateProjectAsync(projectUuid, attributes),
            ActivityProfiles.Algolia($"Replace the {reports.Count} reports of project {projectUuid} in search"));
        return new ReportsSynced(projectUuid, reports.Count, write.TaskId);
    }
}
