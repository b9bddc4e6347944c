using EventProcessor.Activities.Algolia;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reconciliation;

/// <summary>
/// Pages through the projects index with Algolia's browse. The platform has no endpoint that lists
/// projects (docs/platform-api.md), so the index itself is the list: only records that exist are
/// visited, which is also why a reconciliation never creates one.
/// </summary>
public static class SearchIndexPages
{
    /// <summary>The attributes a reconciliation compares (the ones the event workflows keep in step with the platform).</summary>
    public static readonly IReadOnlyList<string> ComparedAttributes = ["name", "status", "accountId", "plan", "reports", "userIds"];

    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="pageSize">Records a page (1 to 1000).</param>
    /// <param name="page">The page's number, from 1, for the step's summary.</param>
    public static Task<AlgoliaProjectPage> BrowseAsync(string? cursor, int pageSize, int page) =>
        Workflow.ExecuteActivityAsync(
            (AlgoliaActivities a) => a.BrowseProjectsAsync(cursor, pageSize, ComparedAttributes),
            ActivityProfiles.Algolia($"Read page {page} of the projects index ({pageSize} a page)"));
}
