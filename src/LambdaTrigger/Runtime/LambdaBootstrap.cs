using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>Init then the loop: a configuration error is reported through <c>init/error</c> and ends the process.</summary>
public static partial class LambdaBootstrap
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Returns the process exit code: 0 after cancellation, 1 when init failed, 3 when the Runtime API failed.</summary>
    public static Task<int> RunAsync(
        IConfiguration configuration, string runtimeApi, ILoggerFactory loggerFactory, CancellationToken cancellationToken, IWorkflowStarter? starter = null)
        => RunAsync(configuration, runtimeApi, loggerFactory, SecretsExtensionOptions.FromEnvironment(), cancellationToken, starter);

    /// <summary>As above, with the Parameters and Secrets extension's address and token given rather than read from the environment.</summary>
    public static async Task<int> RunAsync(
        IConfiguration configuration, string runtimeApi, ILoggerFactory loggerFactory, SecretsExtensionOptions secrets, CancellationToken cancellationToken, IWorkflowStarter? starter = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger(typeof(LambdaBootstrap).FullName!);
        using var api = new RuntimeApiClient(runtimeApi);

        TriggerComposition trigger;
        try
        {
            // Before the readers, so a secret arrives as the plain setting they already understand.
            var resolved = await SecretReferenceResolver.ResolveAsync(configuration, secrets, cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(resolved, configuration))
            {
                LogSecretsResolved(logger, string.Join(", ", SecretReferenceResolver.ReferencedSettings(configuration)));
            }

            trigger = TriggerComposition.Create(resolved, loggerFactory, starter);
        }
        catch (Exception e) when (e is InvalidSettingException)
        {
            LogInitFailed(logger, e.Message);
            try
            {
                await api.PostInitErrorAsync(new RuntimeError(e.Message, RuntimeError.InvalidConfiguration), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException post)
            {
                LogRuntimeApiFailed(logger, post.Message);
            }

            return 1;
        }

        LogReady(logger, trigger.Settings.Address, trigger.Settings.Namespace, trigger.Settings.TaskQueue);
        var loop = new LambdaRuntimeLoop(api, new TriggerInvocationHandler(trigger.Handler), loggerFactory.CreateLogger<LambdaRuntimeLoop>());
        try
        {
            await loop.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (HttpRequestException e)
        {
            // The Runtime API is gone or broken: Lambda expects the runtime to exit and starts a new one.
            LogRuntimeApiFailed(logger, e.Message);
            return 3;
        }
    }

    [LoggerMessage(24, LogLevel.Information, "Read from Secrets Manager: {Settings}")]
    private static partial void LogSecretsResolved(ILogger logger, string settings);

    [LoggerMessage(20, LogLevel.Error, "Init failed: {Reason}")]
    private static partial void LogInitFailed(ILogger logger, string reason);

    [LoggerMessage(22, LogLevel.Critical, "The Runtime API failed, exiting: {Reason}")]
    private static partial void LogRuntimeApiFailed(ILogger logger, string reason);

    [LoggerMessage(21, LogLevel.Information, "Trigger ready: Temporal {Address}, namespace {Namespace}, task queue {TaskQueue} (connects on first event)")]
    private static partial void LogReady(ILogger logger, string address, string @namespace, string taskQueue);
}
