using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Client;

namespace EventProcessor.Hosting;

/// <summary>Paths of the PEM files for TLS or mTLS to the Temporal frontend; all optional.</summary>
public sealed record TemporalTlsSettings(string? CaPath, string? ClientCertPath, string? ClientKeyPath)
{
    public static TemporalTlsSettings None { get; } = new(null, null, null);

    public bool IsConfigured => CaPath is not null || ClientCertPath is not null;
}

/// <summary>
/// Configuration section <c>Temporal</c>, validated. Read with <see cref="TemporalOptions.Read"/>
/// so a misconfiguration fails at init, naming the setting, rather than at the first event.
/// </summary>
public sealed record TemporalSettings(
    string Address,
    string Namespace,
    string TaskQueue,
    string? ApiKey,
    TemporalTlsSettings Tls)
{
    public const string SectionName = "Temporal";

    public const string DefaultNamespace = "default";

    public const string DefaultTaskQueue = "event-processor";

    /// <summary>Temporal Cloud's API keys only work over TLS, so a key implies TLS.</summary>
    public bool UsesTls => ApiKey is not null || Tls.IsConfigured;

    /// <summary>
    /// Client options for these settings: namespace, API key, and TLS/mTLS from the PEM files (read
    /// here, once per process). Shared by every Temporal client of the product (trigger, worker,
    /// local run) so all of them read section <c>Temporal</c> the same way.
    /// </summary>
    public TemporalClientConnectOptions ToConnectOptions(ILoggerFactory? loggerFactory = null)
    {
        var options = new TemporalClientConnectOptions(Address)
        {
            Namespace = Namespace,
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        };
        if (ApiKey is { } apiKey)
        {
            options.ApiKey = apiKey;
        }

        if (UsesTls)
        {
            options.Tls = new TlsOptions
            {
                ServerRootCACert = Tls.CaPath is null ? null : File.ReadAllBytes(Tls.CaPath),
                ClientCert = Tls.ClientCertPath is null ? null : File.ReadAllBytes(Tls.ClientCertPath),
                ClientPrivateKey = Tls.ClientKeyPath is null ? null : File.ReadAllBytes(Tls.ClientKeyPath),
            };
        }

        return options;
    }

    // The compiler-generated ToString would print the API key into any log that formats the settings.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Address = {Address}, Namespace = {Namespace}, TaskQueue = {TaskQueue}, ");
        builder.Append($"ApiKey = {(ApiKey is null ? "(none)" : "(set)")}, Tls = {Tls}");
        return true;
    }
}
