using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>
/// The custom runtime's event loop: next, handle, then response or error, one invocation at a
/// time. A response is posted only after the handler succeeded, so nothing that was not started is
/// acknowledged.
/// </summary>
public sealed partial class LambdaRuntimeLoop
{
    /// <summary>X-Ray reads the current trace from here.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private readonly RuntimeApiClient api;
    private readonly IInvocationHandler handler;
    private readonly ILogger logger;

    public LambdaRuntimeLoop(RuntimeApiClient api, IInvocationHandler handler, ILogger<LambdaRuntimeLoop>? logger = null)
    {
        this.api = api ?? throw new ArgumentNullException(nameof(api));
        this.handler = handler ?? throw new ArgumentNullException(nameof(handler));
        this.logger = logger ?? NullLogger<LambdaRuntimeLoop>.Instance;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; a broken Runtime API ends it with an exception.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var invocation = await api.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
                await RunOneAsync(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RunOneAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        // Set or cleared every time: a trace id must not leak from one invocation into the next.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);

        ReadOnlyMemory<byte> response;
        try
        {
            response = await handler.HandleAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var error = handler.DescribeFailure(e);
            LogFailed(logger, invocation.RequestId, error.ErrorType, error.ErrorMessage);
            if (!await api.PostInvocationErrorAsync(invocation.RequestId, error, cancellationToken).ConfigureAwait(false))
            {
                LogRefused(logger, "error", invocation.RequestId);
            }

            return;
        }

        if (!await api.PostResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false))
        {
            LogRefused(logger, "response", invocation.RequestId);
        }
    }

    [LoggerMessage(10, LogLevel.Warning, "Invocation {RequestId} failed with {ErrorType}: {ErrorMessage}")]
    private static partial void LogFailed(ILogger logger, string requestId, string errorType, string errorMessage);

    [LoggerMessage(11, LogLevel.Error, "The Runtime API refused the {Kind} of invocation {RequestId}")]
    private static partial void LogRefused(ILogger logger, string kind, string requestId);
}
