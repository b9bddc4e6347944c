using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Cli.Configuration;

/// <summary>
/// Configuration read like the worker's: appsettings.json (next to the tool, then the working
/// directory), environment variables (<c>Temporal__Address</c>...), then the command line's
/// overrides. Section <c>Temporal</c> is read by the product's own reader so the CLI accepts
/// exactly what the worker and the trigger accept.
/// </summary>
internal static class CliConfiguration
{
    /// <summary>A local run's frontend, so the tool works out of the box next to the dev host.</summary>
    public const string DefaultAddress = "localhost:7233";

    public static IConfiguration Build(CliEnvironment environment, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{TemporalSettings.SectionName}:Address"] = DefaultAddress });
        if (environment.ReadAmbientConfiguration)
        {
            builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                .AddEnvironmentVariables();
        }

        return builder.AddInMemoryCollection(environment.Settings).AddInMemoryCollection(overrides).Build();
    }

    /// <summary>Section <c>Temporal</c> with <c>--address</c>/<c>--namespace</c> laid over it; a bad setting is a usage error naming it.</summary>
    public static TemporalSettings ReadTemporal(CliEnvironment environment, string? address, string? ns)
    {
        var overrides = new Dictionary<string, string?>();
        if (address is not null)
        {
            overrides[$"{TemporalSettings.SectionName}:Address"] = address;
        }

        if (ns is not null)
        {
            overrides[$"{TemporalSettings.SectionName}:Namespace"] = ns;
        }

        try
        {
            return TemporalOptions.Read(Build(environment, overrides));
        }
        catch (InvalidSettingException e)
        {
            throw new CliUsageException(e.Message, e);
        }
    }
}
