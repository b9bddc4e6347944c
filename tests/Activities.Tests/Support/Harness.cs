using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Platform;
using EventProcessor.DownstreamStubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace EventProcessor.Activities.Tests.Support;

/// <summary>
/// A WireMock server on loopback with the Jira and platform stubs, and a service provider built by
/// the product's own DI extensions pointed at it (or at <see cref="BaseUrl"/> when a test overrides it).
/// </summary>
public sealed class Harness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly Lazy<ServiceProvider> provider;

    private readonly IDictionary<string, string?>? overrides;

    public Harness(string? baseUrl = null, int timeoutSeconds = 10, IDictionary<string, string?>? overrides = null)
    {
        this.overrides = overrides;
        Server = WireMockServer.Start();
        Jira = new JiraStub(Server, clock: Clock);
        Platform = new PlatformStub(Server);
        BaseUrl = baseUrl ?? Server.Url!;
        TimeoutSeconds = timeoutSeconds;
        provider = new Lazy<ServiceProvider>(Build);
    }

    public WireMockServer Server { get; }

    public JiraStub Jira { get; }

    public PlatformStub Platform { get; }

    /// <summary>The clock of the stub and the activities: waits on it move it on instead of taking time.</summary>
    public StandInClock Clock { get; } = new();

    public string BaseUrl { get; }

    public int TimeoutSeconds { get; }

    public IServiceProvider Services => provider.Value;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static IConfiguration Configuration(string baseUrl, int timeoutSeconds = 10, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jira:BaseUrl"] = baseUrl,
            ["Jira:Email"] = JiraStub.DefaultEmail,
            ["Jira:ApiToken"] = JiraStub.DefaultApiToken,
            ["Jira:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Platform:BaseUrl"] = baseUrl,
            ["Platform:Token"] = PlatformStub.DefaultToken,
            ["Platform:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    public void Dispose()
    {
        if (provider.IsValueCreated)
        {
            provider.Value.Dispose();
        }

        Server.Stop();
        Server.Dispose();
    }

    private ServiceProvider Build()
    {
        var configuration = Configuration(BaseUrl, TimeoutSeconds, overrides);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddJira(configuration);
        services.AddPlatform(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
