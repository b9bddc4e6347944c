using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventProcessor.EmbeddedTemporal.Hosting;

/// <summary>A unary RPC handler working on untyped protobuf messages.</summary>
internal delegate Task<IMessage> RpcHandler(IMessage request, ServerCallContext context);

/// <summary>
/// Maps gRPC method full names ("/package.Service/Method") to handlers. Methods with no handler
/// answer UNIMPLEMENTED; exceptions other than <see cref="RpcException"/> become INTERNAL.
/// </summary>
internal sealed class RpcRegistry
{
    private readonly Dictionary<string, RpcHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public RpcRegistry(ILogger<RpcRegistry> logger) => _logger = logger;

    public void Register<TRequest, TResponse>(string serviceName, string methodName, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : IMessage
        where TResponse : IMessage
    {
        _handlers[$"/{serviceName}/{methodName}"] = async (request, context) => await handler((TRequest)request, context).ConfigureAwait(false);
    }

    public async Task<IMessage> DispatchAsync(string fullMethodName, IMessage request, ServerCallContext context)
    {
        if (!_handlers.TryGetValue(fullMethodName, out var handler))
        {
            _logger.LogWarning("Unimplemented RPC {Method}", fullMethodName);
            throw new RpcException(new Status(StatusCode.Unimplemented, $"Method {fullMethodName} is not implemented by the embedded Temporal server."));
        }

        try
        {
            return await handler(request, context).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            if (ex.StatusCode is not (StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.Cancelled or StatusCode.DeadlineExceeded))
            {
                _logger.LogDebug("RPC {Method} answered {Code}: {Detail}", fullMethodName, ex.StatusCode, ex.Status.Detail);
            }

            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "Call cancelled."));
        }
#pragma warning disable CA1031 // a handler bug must become a gRPC error, never a crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "RPC {Method} failed", fullMethodName);
            throw new RpcException(new Status(StatusCode.Internal, ex.Message));
        }
    }
}
