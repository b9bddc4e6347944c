using EventProcessor.Activities.Algolia;
using EventProcessor.Activities.Platform;
using EventProcessor.Events.Maintenance;
using EventProcessor.Workflows.Lookups;
using EventProcessor.Workflows.Search;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Reconciliation;

/// <summary>
/// Catches drift the events could not (a producer that failed to emit, a rule deleted by mistake):
/// pages through the projects index, compares each record's <c>name, status, accountId, plan,
/// reports, userIds</c> with the platform, and repairs what differs with a partial update of only
/// those attributes (never creating a record). Only records that exist are visited, so a project
/// deliberately left out of search stays out; a record whose project the platform does not know
/// (404) is skipped and named in the result. One page a run: the run continues as new with the next
/// cursor and the totals, so history stays small and a failed run resumes at its page.
/// </summary>
[Workflow(SearchIndexReconciliation.WorkflowType)]
public sealed class SearchIndexReconciliationWorkflow
{
    private const string ProjectNotFound = "ProjectNotFound";

    [WorkflowRun]
    public async Task<SearchIndexReconciliationResult> RunAsync(SearchIndexReconciliationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var tally = new Tally(input.SoFar ?? SearchIndexReconciliationResult.Empty(input.DryRun), input.DryRun);
        var pageNumber = tally.Pages + 1;
        var page = await SearchIndexPages.BrowseAsync(input.Cursor, input.PageSize, pageNumber);
        var pause = TimeSpan.FromMilliseconds(input.PauseBetweenProjectsMilliseconds);
        for (var i = 0; i < page.Records.Count; i++)
        {
            if (i > 0 && pause > TimeSpan.Zero)
            {
                // The rate limit: each project costs three platform reads and maybe one write.
                await Workflow.DelayAsync(pause);
            }

            await ReconcileAsync(page.Records[i], input.DryRun, tally);
            Workflow.CurrentDetails = $"Page {pageNumber}: {tally.Describe()}";
        }

        var result = tally.Result(pageNumber);
        Workflow.UpsertMemo(MemoUpdate.ValueSet("summary", result.Summary));
        if (page.NextCursor is { } next)
        {
            var rest = input with { Cursor = next, SoFar = result };
            throw Workflow.CreateContinueAsNewException(
                (SearchIndexReconciliationWorkflow w) => w.RunAsync(rest),
                new ContinueAsNewOptions { Memo = new Dictionary<string, object> { ["summary"] = $"{result.Summary} (after page {pageNumber})" } });
        }

        return result;
    }

    private static void Validate(SearchIndexReconciliationInput input)
    {
        if (input.PageSize is < 1 or > SearchIndexReconciliation.MaxPageSize)
        {
            throw new ApplicationFailureException(
                $"PageSize must be from 1 to {SearchIndexReconciliation.MaxPageSize} (Algolia's browse limit), not {input.PageSize}.", "InvalidInput", nonRetryable: true);
        }

        if (input.PauseBetweenProjectsMilliseconds is < 0 or > 60_000)
        {
            throw new ApplicationFailureException(
                $"PauseBetweenProjectsMilliseconds must be from 0 to 60000, not {input.PauseBetweenProjectsMilliseconds}.", "InvalidInput", nonRetryable: true);
        }
    }

    private static async Task ReconcileAsync(AlgoliaProjectRecord record, bool dryRun, Tally tally)
    {
        var uuid = record.ObjectId;
        PlatformProject project;
        IReadOnlyList<PlatformReportSummary> reports;
        IReadOnlyList<PlatformUser> users;
        try
        {
            var projectRead = PlatformLookups.ProjectAsync(uuid, "search record");
            var reportsRead = PlatformLookups.ProjectReportsAsync(uuid);
            var usersRead = PlatformLookups.ProjectUsersAsync(uuid);
            await Workflow.WhenAllAsync(projectRead, reportsRead, usersRead);
            (project, reports, users) = (await projectRead, await reportsRead, await usersRead);
        }
        catch (ApplicationFailureException e) when (e.ErrorType == ProjectNotFound)
        {
            tally.Skip(new SkippedProject(uuid, $"The platform does not know project {uuid} (404): the record is left as it is."));
            return;
        }

        var expected = SearchDrift.Expected(project, reports, users);
        var differing = SearchDrift.Differing(expected, record.Attributes);
        if (differing.Count == 0)
        {
            tally.Check();
            return;
        }

        if (!dryRun)
        {
            var repair = differing.ToDictionary(name => name, name => expected[name], StringComparer.Ordinal);
            await ProjectSearch.UpdateAsync(uuid, repair, $"the drifted {string.Join(", ", differing)}");
        }

        tally.Drifted(new ProjectDrift(uuid, differing, Repaired: !dryRun));
    }

    /// <summary>The counts so far (this run's page added to the earlier pages'), with the bounded lists.</summary>
    private sealed class Tally(SearchIndexReconciliationResult soFar, bool dryRun)
    {
        private readonly List<ProjectDrift> drift = [.. soFar.Drift];
        private readonly List<SkippedProject> skipped = [.. soFar.SkippedProjects];
        private int @checked = soFar.Checked;
        private int repaired = soFar.Repaired;
        private int wouldRepair = soFar.WouldRepair;
        private int skippedCount = soFar.Skipped;

        public int Pages { get; } = soFar.Pages;

        public void Check() => @checked++;

        public void Drifted(ProjectDrift project)
        {
            @checked++;
            if (project.Repaired)
            {
                repaired++;
            }
            else
            {
                wouldRepair++;
            }

            if (drift.Count < SearchIndexReconciliation.MaxListed)
            {
                drift.Add(project);
            }
        }

        public void Skip(SkippedProject project)
        {
            skippedCount++;
            if (skipped.Count < SearchIndexReconciliation.MaxListed)
            {
                skipped.Add(project);
            }
        }

        public string Describe() => SearchIndexReconciliationResult.Describe(dryRun, @checked, repaired, wouldRepair, skippedCount);

        public SearchIndexReconciliationResult Result(int pages) =>
            new(dryRun, @checked, repaired, wouldRepair, skippedCount, pages, [.. drift], [.. skipped], Describe());
    }
}
