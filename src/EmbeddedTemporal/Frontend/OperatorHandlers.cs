using EventProcessor.EmbeddedTemporal.State;
using EventProcessor.EmbeddedTemporal.Visibility;
using Grpc.Core;
using Temporalio.Api.OperatorService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>OperatorService: custom search attributes per namespace.</summary>
internal sealed class OperatorHandlers(ServerContext server)
{
    public Task<AddSearchAttributesResponse> AddSearchAttributes(AddSearchAttributesRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (request.SearchAttributes.Count == 0)
        {
            throw RpcErrors.InvalidArgument("SearchAttributes are not set on request.");
        }

        lock (ns.Sync)
        {
            ns.SearchAttributes.Add(request.SearchAttributes);
        }

        return Task.FromResult(new AddSearchAttributesResponse());
    }

    public Task<RemoveSearchAttributesResponse> RemoveSearchAttributes(RemoveSearchAttributesRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (request.SearchAttributes.Count == 0)
        {
            throw RpcErrors.InvalidArgument("SearchAttributes are not set on request.");
        }

        lock (ns.Sync)
        {
            ns.SearchAttributes.Remove(request.SearchAttributes);
        }

        return Task.FromResult(new RemoveSearchAttributesResponse());
    }

    public Task<ListSearchAttributesResponse> ListSearchAttributes(ListSearchAttributesRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var response = new ListSearchAttributesResponse();
        lock (ns.Sync)
        {
            foreach (var (name, type) in ns.SearchAttributes.Custom)
            {
                response.CustomAttributes[name] = type;
            }
        }

        foreach (var (name, type) in SearchAttributeRegistry.SystemAttributes)
        {
            response.SystemAttributes[name] = type;
        }

        return Task.FromResult(response);
    }
}
