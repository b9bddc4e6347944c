using EventProcessor.EmbeddedTemporal.State;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.WorkflowService.V1;
using NamespaceStateEnum = Temporalio.Api.Enums.V1.NamespaceState;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>Connect and worker lifecycle: system info, namespaces, worker shutdown.</summary>
internal sealed class ClusterHandlers(ServerContext server)
{
    public Task<GetSystemInfoResponse> GetSystemInfo(GetSystemInfoRequest request, ServerCallContext context) =>
        System.Threading.Tasks.Task.FromResult(new GetSystemInfoResponse
        {
            ServerVersion = "1.27.0-embedded",
            Capabilities = new GetSystemInfoResponse.Types.Capabilities
            {
                SignalAndQueryHeader = true,
                InternalErrorDifferentiation = true,
                ActivityFailureIncludeHeartbeat = true,
                EncodedFailureAttributes = true,
                UpsertMemo = true,
                SdkMetadata = true,
            },
        });

    public Task<DescribeNamespaceResponse> DescribeNamespace(DescribeNamespaceRequest request, ServerCallContext context)
    {
        var ns = string.IsNullOrEmpty(request.Namespace) && !string.IsNullOrEmpty(request.Id)
            ? server.Namespaces.FirstOrDefault(n => n.Id == request.Id) ?? throw RpcErrors.NamespaceNotFound(request.Id)
            : Requests.Namespace(server, request.Namespace);
        return System.Threading.Tasks.Task.FromResult(Describe(ns));
    }

    public Task<ListNamespacesResponse> ListNamespaces(ListNamespacesRequest request, ServerCallContext context)
    {
        var response = new ListNamespacesResponse();
        response.Namespaces.AddRange(server.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal).Select(Describe));
        return System.Threading.Tasks.Task.FromResult(response);
    }

    /// <summary>The SDK's last call at worker shutdown: tasks waiting on its sticky queue move to the normal queue.</summary>
    public Task<ShutdownWorkerResponse> ShutdownWorker(ShutdownWorkerRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (!string.IsNullOrEmpty(request.StickyTaskQueue))
        {
            var waiting = server.Matching.RemoveStickyQueue(ns.Name, request.StickyTaskQueue);
            lock (ns.Sync)
            {
                foreach (var run in ns.RunningRuns())
                {
                    run.OnStickyWorkerGone(request.StickyTaskQueue);
                }

                foreach (var query in waiting.OfType<QueryDispatch>())
                {
                    query.Redirect();
                }
            }
        }

        return System.Threading.Tasks.Task.FromResult(new ShutdownWorkerResponse());
    }

    private static DescribeNamespaceResponse Describe(TemporalNamespace ns) => new()
    {
        NamespaceInfo = new NamespaceInfo
        {
            Name = ns.Name,
            Id = ns.Id,
            State = NamespaceStateEnum.Registered,
            Capabilities = new NamespaceInfo.Types.Capabilities { EagerWorkflowStart = false, SyncUpdate = false, AsyncUpdate = false },
        },
        Config = new NamespaceConfig
        {
            WorkflowExecutionRetentionTtl = Duration.FromTimeSpan(TimeSpan.FromDays(1)),
            HistoryArchivalState = ArchivalState.Disabled,
            VisibilityArchivalState = ArchivalState.Disabled,
        },
        IsGlobalNamespace = false,
    };
}
