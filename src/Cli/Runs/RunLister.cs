using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>Runs matching a visibility query, newest first as the server orders them.</summary>
internal static class RunLister
{
    public static async Task<IReadOnlyList<RunRow>> ListAsync(ITemporalClient client, string query, int? limit, CancellationToken cancellationToken)
    {
        var rows = new List<RunRow>();
        var options = new WorkflowListOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } };
        if (limit is { } max)
        {
            options.Limit = max;
        }

        try
        {
            await foreach (var execution in client.ListWorkflowsAsync(query, options).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(RunRow.From(execution));
            }
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.InvalidArgument)
        {
            throw new CliUsageException($"Temporal refused the query \"{query}\": {e.Message}", e);
        }

        return rows;
    }
}
