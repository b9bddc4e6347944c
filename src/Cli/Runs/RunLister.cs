using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>The run that is now its workflow's current run (the latest re-run, or the run itself).</summary>
public sealed record CurrentRun(string RunId, WorkflowExecutionStatus Status)
{
    public string StatusName => StatusNames.Of(Status);
}

/// <summary>A listed run with its workflow's current run, so a run a re-run replaced can say by what.</summary>
public sealed record ListedRun(RunRow Row, CurrentRun? Current)
{
    /// <summary>True unless the workflow has a newer current run (a re-run replaced this one).</summary>
    public bool IsCurrent => Current is null || Current.RunId == Row.RunId;
}

/// <summary>Runs matching a visibility query, newest first as the server orders them.</summary>
internal static class RunLister
{
    /// <summary>With <c>--current</c>, how many listed runs are looked at at most to find the current ones.</summary>
    public const int MaxScanned = 10_000;

    private const int Batch = 100;
    private const int ParallelDescribes = 8;

    public static async Task<IReadOnlyList<RunRow>> ListAsync(ITemporalClient client, string query, int? limit, CancellationToken cancellationToken)
    {
        var rows = new List<RunRow>();
        await foreach (var row in EnumerateAsync(client, query, limit, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Runs matching <paramref name="query"/>, each with its workflow's current run. Visibility has
    /// no "current run" field on every store, so each workflow is described (DescribeWorkflowExecution
    /// without a run id answers with its current run); <paramref name="currentOnly"/> keeps only the
    /// runs that are current, reading further pages until <paramref name="limit"/> are found.
    /// </summary>
    public static async Task<IReadOnlyList<ListedRun>> ListWithCurrentAsync(
        ITemporalClient client, string query, int limit, bool currentOnly, CancellationToken cancellationToken)
    {
        var listed = new List<ListedRun>();
        var currents = new Dictionary<string, CurrentRun?>(StringComparer.Ordinal);
        var batch = new List<RunRow>();
        var scanned = 0;
        await foreach (var row in EnumerateAsync(client, query, currentOnly ? null : limit, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(row);
            if (++scanned >= MaxScanned || batch.Count == Batch)
            {
                await AddAsync(batch).ConfigureAwait(false);
                batch.Clear();
                if (listed.Count >= limit || scanned >= MaxScanned)
                {
                    break;
                }
            }
        }

        await AddAsync(batch).ConfigureAwait(false);
        return [.. listed.Take(limit)];

        async Task AddAsync(List<RunRow> rows)
        {
            await DescribeCurrentAsync(client, [.. rows.Select(r => r.WorkflowId).Where(id => !currents.ContainsKey(id)).Distinct(StringComparer.Ordinal)], currents, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var run = new ListedRun(row, currents.GetValueOrDefault(row.WorkflowId));
                if (!currentOnly || run.IsCurrent)
                {
                    listed.Add(run);
                }
            }
        }
    }

    /// <summary>The workflow's current run, or null when Temporal no longer knows it (retention).</summary>
    public static async Task<CurrentRun?> CurrentAsync(ITemporalClient client, string workflowId, CancellationToken cancellationToken)
    {
        try
        {
            var described = await client.WorkflowService.DescribeWorkflowExecutionAsync(
                new DescribeWorkflowExecutionRequest
                {
                    Namespace = client.Options.Namespace,
                    Execution = new() { WorkflowId = workflowId },
                },
                new RpcOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
            var info = described.WorkflowExecutionInfo;
            return new CurrentRun(info.Execution.RunId, info.Status);
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task DescribeCurrentAsync(ITemporalClient client, IReadOnlyList<string> workflowIds, Dictionary<string, CurrentRun?> into, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(ParallelDescribes);
        var found = await Task.WhenAll(workflowIds.Select(async id =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (Id: id, Current: await CurrentAsync(client, id, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        foreach (var (id, current) in found)
        {
            into[id] = current;
        }
    }

    private static async IAsyncEnumerable<RunRow> EnumerateAsync(
        ITemporalClient client, string query, int? limit, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new WorkflowListOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } };
        if (limit is { } max)
        {
            options.Limit = max;
        }

        var executions = client.ListWorkflowsAsync(query, options).WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            while (true)
            {
                try
                {
                    if (!await executions.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.InvalidArgument)
                {
                    throw new CliUsageException($"Temporal refused the query \"{query}\": {e.Message}", e);
                }

                yield return RunRow.From(executions.Current);
            }
        }
        finally
        {
            await executions.DisposeAsync();
        }
    }
}
