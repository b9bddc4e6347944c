using EventProcessor.LambdaTrigger.Starting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>Everything a trigger host needs, built from configuration in one place.</summary>
public sealed record TriggerComposition(TemporalSettings Settings, TemporalClientProvider Clients, TriggerHandler Handler)
{
    /// <summary>Reads and checks the configuration; nothing connects yet.</summary>
    /// <exception cref="TriggerConfigurationException">A setting is missing or wrong; the message names it.</exception>
    public static TriggerComposition Create(IConfiguration configuration, ILoggerFactory loggerFactory, IWorkflowStarter? starter = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var settings = TemporalSettingsReader.Read(configuration);
        var parser = EventValidationSettingsReader.CreateParser(configuration);
        var clients = new TemporalClientProvider(settings, loggerFactory);
        var handler = new TriggerHandler(
            parser, starter ?? new TemporalWorkflowStarter(clients), settings.StartMargin, loggerFactory.CreateLogger<TriggerHandler>());
        return new TriggerComposition(settings, clients, handler);
    }
}
