using EventProcessor.EmbeddedTemporal.State;
using EventProcessor.EmbeddedTemporal.Visibility;
using Grpc.Core;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>List, scan and count of workflow executions with Temporal's list filter.</summary>
internal sealed class VisibilityHandlers(ServerContext server)
{
    public Task<ListWorkflowExecutionsResponse> ListWorkflowExecutions(ListWorkflowExecutionsRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        lock (ns.Sync)
        {
            return Task.FromResult(VisibilityQueries.List(ns, request.Query, request.PageSize, request.NextPageToken));
        }
    }

    /// <summary>Scan is List without ordering guarantees on a real server; the same answer satisfies it.</summary>
    public Task<ScanWorkflowExecutionsResponse> ScanWorkflowExecutions(ScanWorkflowExecutionsRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        lock (ns.Sync)
        {
            var list = VisibilityQueries.List(ns, request.Query, request.PageSize, request.NextPageToken);
            var response = new ScanWorkflowExecutionsResponse { NextPageToken = list.NextPageToken };
            response.Executions.Add(list.Executions);
            return Task.FromResult(response);
        }
    }

    public Task<CountWorkflowExecutionsResponse> CountWorkflowExecutions(CountWorkflowExecutionsRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        lock (ns.Sync)
        {
            return Task.FromResult(VisibilityQueries.Count(ns, request.Query));
        }
    }
}
