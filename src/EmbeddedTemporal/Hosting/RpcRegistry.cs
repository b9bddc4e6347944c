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
    private readonly Timers.TimeSkipping? _skipping;

    public RpcRegistry(ILogger<RpcRegistry> logger, Timers.TimeSkipping? skipping = null)
    {
        _logger = logger;
        _skipping = skipping;
    }

    /// <summary>
    /// Calls that only wait (task polls, history long polls, TestService sleeps) do not hold time
    /// still; every other call changes or reads state and does, until it has answered.
    /// </summary>
    private static bool HoldsTime(string fullMethodName) =>
        !fullMethodName.StartsWith("/temporal.api.testservice.v1.TestService/", StringComparison.Ordinal)
        && !fullMethodName.EndsWith("/PollWorkflowTaskQueue", StringComparison.Ordinal)
        && !fullMethodName.EndsWith("/PollActivityTaskQueue", StringComparison.Ordinal)
        && !fullMethodName.EndsWith("/GetWorkflowExecutionHistory", StringComparison.Ordinal);

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

        using var holdTime = _skipping is not null && HoldsTime(fullMethodName) ? _skipping.EnterBusy() : null;
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
