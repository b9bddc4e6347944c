using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace EventProcessor.EmbeddedTemporal.Hosting;

/// <summary>The gRPC service instance: every Temporal method lands in <see cref="RpcRegistry"/>.</summary>
internal sealed class TemporalGrpcService
{
    private readonly RpcRegistry _registry;

    public TemporalGrpcService(RpcRegistry registry) => _registry = registry;

    public Task<IMessage> InvokeAsync(string fullMethodName, IMessage request, ServerCallContext context) =>
        _registry.DispatchAsync(fullMethodName, request, context);
}

/// <summary>
/// Registers every unary method of Temporal's WorkflowService, OperatorService and TestService descriptors,
/// using each method's own input parser, since Temporalio ships messages but no service base.
/// </summary>
internal sealed class TemporalServiceMethodProvider : IServiceMethodProvider<TemporalGrpcService>
{
    internal static readonly ServiceDescriptor[] Services =
    [
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services[0],
        Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services[0],
        Temporalio.Api.TestService.V1.ServiceReflection.Descriptor.Services[0],
    ];

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TemporalGrpcService> context)
    {
        foreach (var service in Services)
        {
            foreach (var method in service.Methods)
            {
                if (method.IsClientStreaming || method.IsServerStreaming)
                {
                    continue;
                }

                var inputParser = method.InputType.Parser;
                var outputParser = method.OutputType.Parser;
                var grpcMethod = new Method<IMessage, IMessage>(
                    MethodType.Unary,
                    service.FullName,
                    method.Name,
                    Marshallers.Create(static m => m.ToByteArray(), inputParser.ParseFrom),
                    Marshallers.Create(static m => m.ToByteArray(), outputParser.ParseFrom));
                var fullName = grpcMethod.FullName;
                context.AddUnaryMethod(grpcMethod, [], (svc, request, callContext) => svc.InvokeAsync(fullName, request, callContext));
            }
        }
    }
}
