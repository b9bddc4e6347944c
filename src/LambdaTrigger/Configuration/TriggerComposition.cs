using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>Everything a trigger host needs, built from configuration in one place.</summary>
public sealed record TriggerComposition(TemporalSettings Settings, TemporalGrpcConnection Connection, TriggerHandler Handler)
{
    /// <summary>Reads and checks the configuration; nothing connects yet.</summary>
    /// <exception cref="InvalidSettingException">A setting (<c>Temporal:*</c>, <c>Events:*</c>, <c>Encryption:*</c>) is missing or wrong; the message names it.</exception>
    public static TriggerComposition Create(IConfiguration configuration, ILoggerFactory loggerFactory, IWorkflowStarter? starter = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var settings = TemporalOptions.Read(configuration);
        var parser = EventsOptions.CreateParser(configuration);
        var encryption = EncryptionOptions.Read(configuration);
        // Encryption off must be visible in the log, since nothing else shows that payloads are stored as plaintext.
        EncryptionLog.Describe(loggerFactory.CreateLogger<TriggerComposition>(), encryption.Describe());
        var connection = new TemporalGrpcConnection(settings);
        var handler = new TriggerHandler(
            parser, starter ?? new TemporalWorkflowStarter(connection, new WorkflowPayloads(encryption)), TriggerOptions.Read(configuration).StartMargin, loggerFactory.CreateLogger<TriggerHandler>());
        return new TriggerComposition(settings, connection, handler);
    }
}

// The logging generator does not support records.
internal static partial class EncryptionLog
{
    [LoggerMessage(23, LogLevel.Information, "{Encryption}")]
    public static partial void Describe(ILogger logger, string encryption);
}
