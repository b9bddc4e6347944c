using EventProcessor.LambdaTrigger.Configuration;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Runtime;

namespace EventProcessor.Worker.Configuration;

/// <summary>
/// The worker's client options from the trigger's validated <see cref="TemporalSettings"/>, so
/// both ends of the pipeline read section <c>Temporal</c> the same way. The PEM files are read
/// once here: the files were checked to exist when the settings were read.
/// </summary>
public static class TemporalConnectOptionsFactory
{
    public static TemporalClientConnectOptions Options(TemporalSettings settings, TemporalRuntime runtime, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new TemporalClientConnectOptions(settings.Address)
        {
            Namespace = settings.Namespace,
            Runtime = runtime,
            LoggerFactory = loggerFactory,
        };
        if (settings.ApiKey is { } apiKey)
        {
            options.ApiKey = apiKey;
        }

        if (settings.UsesTls)
        {
            var tls = settings.Tls;
            options.Tls = new TlsOptions
            {
                ServerRootCACert = tls.CaPath is null ? null : File.ReadAllBytes(tls.CaPath),
                ClientCert = tls.ClientCertPath is null ? null : File.ReadAllBytes(tls.ClientCertPath),
                ClientPrivateKey = tls.ClientKeyPath is null ? null : File.ReadAllBytes(tls.ClientKeyPath),
            };
        }

        return options;
    }
}
