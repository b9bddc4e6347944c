namespace EventProcessor.Events.Maintenance;

/// <summary>
/// The contract of the search index reconciliation (docs/runbook.md): the workflow type the
/// worker registers and the schedule and the CLI start by name, its input and its result. It lives
/// here, beside the event workflows' input, because the hosts that start it (the worker's
/// schedule, the CLI) must not reference src/Workflows.
/// </summary>
public static class SearchIndexReconciliation
{
    /// <summary>The workflow type (a contract: the schedule <c>reconcile-search-index</c> starts it by this name).</summary>
    public const string WorkflowType = "SearchIndexReconciliationWorkflow";

    /// <summary>Projects named in a result's drift and skipped lists at most; the counts go on past it.</summary>
    public const int MaxListed = 100;

    /// <summary>Algolia's browse serves at most this many records a page.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Records read from the index a page, by default.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The pause between two projects by default: at most five projects (15 platform reads) a second.</summary>
    public const int DefaultPauseBetweenProjectsMilliseconds = 200;
}

/// <summary>
/// What a reconciliation run is asked to do, and where it is. A run handles one page of the index
/// and continues as new with the next page's <see cref="Cursor"/> and the totals so far.
/// </summary>
/// <param name="DryRun">Report the drift only; write nothing.</param>
/// <param name="PageSize">Records read from the index a page (1 to 1000).</param>
/// <param name="PauseBetweenProjectsMilliseconds">Pause after each project (0 to 60000), so the platform and Algolia see a bounded rate.</param>
/// <param name="Cursor">Algolia's browse cursor of the next page; null on the first page.</param>
/// <param name="SoFar">Totals of the pages already done; null on the first page.</param>
public sealed record SearchIndexReconciliationInput(
    bool DryRun = false,
    int PageSize = SearchIndexReconciliation.DefaultPageSize,
    int PauseBetweenProjectsMilliseconds = SearchIndexReconciliation.DefaultPauseBetweenProjectsMilliseconds,
    string? Cursor = null,
    SearchIndexReconciliationResult? SoFar = null);

/// <summary>A project whose search record differed from the platform.</summary>
/// <param name="ProjectUuid">The record's objectID.</param>
/// <param name="Attributes">The attributes that differed, sorted.</param>
/// <param name="Repaired">Whether they were written (false in a dry run).</param>
public sealed record ProjectDrift(string ProjectUuid, IReadOnlyList<string> Attributes, bool Repaired);

/// <summary>A search record left alone, and why (e.g. the platform no longer knows the project).</summary>
public sealed record SkippedProject(string ProjectUuid, string Reason);

/// <summary>
/// What a reconciliation found and did. <see cref="Drift"/> and <see cref="SkippedProjects"/> name
/// at most <see cref="SearchIndexReconciliation.MaxListed"/> projects each; the counts are complete.
/// </summary>
/// <param name="DryRun">Whether nothing was written.</param>
/// <param name="Checked">Search records compared with the platform.</param>
/// <param name="Repaired">Records whose differing attributes were written.</param>
/// <param name="WouldRepair">Records that differ and were left as they are (dry run).</param>
/// <param name="Skipped">Records not compared (their project is unknown to the platform).</param>
/// <param name="Pages">Pages of the index read.</param>
/// <param name="Drift">The differing projects, first ones first.</param>
/// <param name="SkippedProjects">The skipped projects, first ones first.</param>
/// <param name="Summary">One line saying the counts, as the run's summary shows it.</param>
public sealed record SearchIndexReconciliationResult(
    bool DryRun,
    int Checked,
    int Repaired,
    int WouldRepair,
    int Skipped,
    int Pages,
    IReadOnlyList<ProjectDrift> Drift,
    IReadOnlyList<SkippedProject> SkippedProjects,
    string Summary)
{
    public static SearchIndexReconciliationResult Empty(bool dryRun) => new(dryRun, 0, 0, 0, 0, 0, [], [], Describe(dryRun, 0, 0, 0, 0));

    /// <summary>The summary line, e.g. "Checked 120 projects: repaired 3, skipped 1." (a dry run says "would repair").</summary>
    public static string Describe(bool dryRun, int @checked, int repaired, int wouldRepair, int skipped) =>
        dryRun
            ? $"Dry run: checked {@checked} projects: {wouldRepair} would be repaired, skipped {skipped}; nothing was changed."
            : $"Checked {@checked} projects: repaired {repaired}, skipped {skipped}.";
}
