using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>Which runs a re-run is about: named workflow ids (their current runs) or the runs a filter lists.</summary>
public sealed record RerunSelection(IReadOnlyList<string> WorkflowIds, RunFilters Filters, int Limit)
{
    /// <summary>What a filter re-runs when it names no status: the runs that ended badly.</summary>
    public static readonly IReadOnlyList<string> DefaultStatuses = ["Failed", "TimedOut"];

    /// <summary>Whether the default statuses apply: no --status given, and no --query that says which statuses itself.</summary>
    public bool AppliesDefaultStatuses =>
        Filters.Statuses.Count == 0 && (Filters.RawQuery is null || !Filters.RawQuery.Contains("ExecutionStatus", StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks the selection makes sense before anything is asked of Temporal.</summary>
    public void Validate()
    {
        if (WorkflowIds.Count > 0 && !Filters.IsEmpty)
        {
            throw new CliUsageException("name runs either by workflow id or by --query/filters, not both.");
        }

        if (WorkflowIds.Count == 0 && !Filters.SelectsBeyondStatus)
        {
            throw new CliUsageException("say which runs to re-run: workflow ids, --query, or filters such as --type, --ticket, --report, --since "
                + "(they select the runs that Failed or TimedOut unless --status says otherwise; --status alone is too broad).");
        }

        if (Limit < 1)
        {
            throw new CliUsageException($"--limit must be at least 1, not {Limit}.");
        }
    }

    /// <summary>The targets, and whether the listing stopped at the limit.</summary>
    internal async Task<(IReadOnlyList<RunTarget> Targets, bool Truncated)> ResolveAsync(ITemporalClient client, CancellationToken cancellationToken)
    {
        if (WorkflowIds.Count > 0)
        {
            return ([.. WorkflowIds.Select(id => new RunTarget(id.Trim(), null))], false);
        }

        var filters = AppliesDefaultStatuses ? Filters with { Statuses = DefaultStatuses } : Filters;
        var rows = await RunLister.ListAsync(client, filters.ToQuery(), Limit, cancellationToken).ConfigureAwait(false);
        return ([.. rows.Select(r => new RunTarget(r.WorkflowId, r.RunId))], rows.Count == Limit);
    }
}
