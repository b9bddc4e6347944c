using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventProcessor.TestSupport;

/// <summary>
/// The one place the tests compose the product's services, the way the worker composes them:
/// configuration from in-memory settings (the keys an operator sets, e.g. <c>Algolia:BaseUrl</c>),
/// the test's clock registered as the <see cref="TimeProvider"/> before the product's own
/// registration (whose <c>TryAddSingleton(TimeProvider.System)</c> then keeps it), logging, and the
/// registration under test (<c>AddEventProcessorActivities</c>, <c>AddAlgolia</c>, <c>AddEmail</c>...),
/// built with build and scope validation. <see cref="WorkflowHarness"/> builds every activity here
/// with the stand-ins' clock; a suite that stubs one system builds that system's services here with
/// a fake clock (or the real one). The test keeps its own stubs (a WireMock server, an SMTP sink):
/// this class owns only the services it builds.
/// </summary>
public sealed class ServiceHarness : IDisposable, IAsyncDisposable
{
    private readonly Func<IServiceCollection, IConfiguration, IServiceCollection> register;
    private readonly Action<ILoggingBuilder>? logging;
    private ServiceProvider? provider;
    private Dictionary<string, string?>? builtWith;

    /// <param name="clock">
    /// The services' <see cref="TimeProvider"/>: a fake one at a fixed, settable instant, or the
    /// stand-ins' clock. <see langword="null"/> leaves the product's own default in place, for tests
    /// of that default.
    /// </param>
    /// <param name="register">The product's registration, e.g. <c>(services, configuration) =&gt; services.AddAlgolia(configuration)</c>.</param>
    /// <param name="logging">Extra logging setup, e.g. a capturing provider.</param>
    public ServiceHarness(
        TimeProvider? clock,
        Func<IServiceCollection, IConfiguration, IServiceCollection> register,
        Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(register);
        Clock = clock;
        this.register = register;
        this.logging = logging;
    }

    /// <summary>The clock given to the services (null: the product's default).</summary>
    public TimeProvider? Clock { get; }

    /// <summary>The services built by <see cref="Build"/>.</summary>
    public IServiceProvider Services => provider ?? throw new InvalidOperationException("This harness has no services yet: call Build(settings) first.");

    /// <summary>Composes and builds the services in one step.</summary>
    public static ServiceHarness Start(
        IEnumerable<KeyValuePair<string, string?>> settings,
        TimeProvider? clock,
        Func<IServiceCollection, IConfiguration, IServiceCollection> register,
        Action<ILoggingBuilder>? logging = null)
    {
        var harness = new ServiceHarness(clock, register, logging);
        harness.Build(settings);
        return harness;
    }

    /// <summary>
    /// Builds the services from <paramref name="settings"/>, with <paramref name="overrides"/> (e.g. a
    /// test's <c>Jira:TimeoutSeconds</c>) replacing them key by key, on the first call. Later calls
    /// must pass the same settings and get the same services (the same clients, caches and counters),
    /// so a test can run several activities against one set of services.
    /// </summary>
    public IServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Configuration keys are case-insensitive: a later value of a key replaces the earlier one.
        var wanted = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings.Concat(overrides ?? []))
        {
            wanted[key] = value;
        }

        if (builtWith is not null)
        {
            var differing = builtWith.Keys.Union(wanted.Keys, StringComparer.OrdinalIgnoreCase)
                .FirstOrDefault(key => !builtWith.TryGetValue(key, out var was) || !wanted.TryGetValue(key, out var now) || !string.Equals(was, now, StringComparison.Ordinal));
            if (differing is not null)
            {
                throw new InvalidOperationException($"This harness's services were built with another value of '{differing}'; use a new ServiceHarness for other settings.");
            }

            return provider!;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(wanted).Build();
        var services = new ServiceCollection().AddLogging(builder => logging?.Invoke(builder));
        if (Clock is { } clock)
        {
            services.AddSingleton(clock);
        }

        register(services, configuration);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        builtWith = wanted;
        return provider;
    }

    /// <summary>A service of the product (an activity class, a client, options).</summary>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public void Dispose() => provider?.Dispose();

    public ValueTask DisposeAsync() => provider?.DisposeAsync() ?? ValueTask.CompletedTask;
}
