using EventProcessor.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Runtime;

namespace EventProcessor.Worker.Configuration;

/// <summary>
/// The worker's client options: the shared <see cref="TemporalSettings.ToConnectOptions"/> plus
/// the worker's own runtime (which carries its metrics).
/// </summary>
public static class TemporalConnectOptionsFactory
{
    public static TemporalClientConnectOptions Options(TemporalSettings settings, TemporalRuntime runtime, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.ToConnectOptions(loggerFactory);
        options.Runtime = runtime;
        return options;
    }
}
