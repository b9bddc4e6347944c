using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.Server;

namespace EventProcessor.Activities.Integrations.Tests.Support;

/// <summary>
/// A WireMock server on a loopback port and a service provider built the way the worker builds it
/// (configuration section + the integration's <c>AddX</c>), with a fake clock registered first.
/// </summary>
public sealed class IntegrationHost : IDisposable
{
    private ServiceProvider? provider;
    private Dictionary<string, string?>? providerSettings;

    public IntegrationHost(DateTimeOffset? now = null)
    {
        Server = WireMockServer.Start();
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero));
    }

    public WireMockServer Server { get; }

    public FakeTimeProvider Time { get; }

    public string Url => Server.Url!;

    /// <summary>
    /// Builds the provider from <paramref name="settings"/> with <paramref name="register"/> (e.g. <c>AddAlgolia</c>)
    /// on the first call; later calls must pass the same settings and get the same provider (same clients).
    /// </summary>
    public IServiceProvider Services(IDictionary<string, string?> settings, Func<IServiceCollection, IConfiguration, IServiceCollection> register)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(register);
        if (providerSettings is not null && !providerSettings.OrderBy(p => p.Key).SequenceEqual(settings.OrderBy(p => p.Key)))
        {
            throw new InvalidOperationException("This host's services were built with other settings; use a new host.");
        }

        if (provider is null)
        {
            providerSettings = new Dictionary<string, string?>(settings);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(Time);
            register(services, configuration);
            provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        }

        return provider;
    }

    public void Dispose()
    {
        provider?.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}
