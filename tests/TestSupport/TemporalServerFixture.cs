using EventProcessor.EmbeddedTemporal;
using EventProcessor.Events.Catalog;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Xunit;

namespace EventProcessor.TestSupport;

/// <summary>
/// The Temporal server every test talks to. With <c>TEMPORAL_ADDRESS</c> set it connects there
/// (namespace from <c>TEMPORAL_NAMESPACE</c>, default <c>default</c>); otherwise it starts an
/// <see cref="EmbeddedTemporalServer"/>. Tests never know which. Share it with an xunit
/// collection fixture declared in each test assembly.
/// </summary>
public sealed class TemporalServerFixture : IAsyncLifetime
{
    /// <summary>
    /// The product's custom search attributes, registered by default: every key of
    /// <see cref="EventSearchAttributes.AllKeys"/> (src/Events/Catalog), so the fixture registers
    /// exactly what the trigger sets and a new key needs no second list here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IndexedValueType> ProductSearchAttributes =
        EventSearchAttributes.AllKeys.ToDictionary(k => k.Name, k => k.ValueType, StringComparer.Ordinal);

    private static readonly Lazy<string?> s_timeSkippingSkipReason = new(ProbeTimeSkipping);

    private EmbeddedTemporalServer? _server;
    private TemporalClient? _client;
    private EmbeddedTemporalServer? _timeSkippingServer;
    private TimeSkippingEnvironment? _timeSkipping;

    public string Address { get; private set; } = string.Empty;

    public string Namespace { get; private set; } = "default";

    public bool IsEmbedded => _server is not null;

    /// <summary>A client connected once, shared by the tests.</summary>
    public TemporalClient Client => _client ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        if (!string.IsNullOrWhiteSpace(address))
        {
            Address = address.Trim();
            var ns = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE");
            Namespace = string.IsNullOrWhiteSpace(ns) ? "default" : ns.Trim();
        }
        else
        {
            _server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions());
            Address = _server.Address;
            Namespace = "default";
        }

        _client = await ConnectClientAsync();
        await EnsureSearchAttributesAsync(ProductSearchAttributes);
    }

    /// <summary>
    /// Why time-skipping tests cannot run here, or null when they can: always with the embedded
    /// server; with <c>TEMPORAL_ADDRESS</c> only if that server answers Temporal's TestService (a
    /// test server does; a real Temporal server has no TestService and answers UNIMPLEMENTED).
    /// </summary>
    public static string? TimeSkippingSkipReason => s_timeSkippingSkipReason.Value;

    /// <summary>
    /// The time-skipping environment: a second embedded server started with time skipping (the
    /// shared one keeps the system clock, so other tests are unaffected), or the
    /// <c>TEMPORAL_ADDRESS</c> server when it serves the TestService. Tests in one collection run
    /// one at a time, which the server-wide time-skipping lock needs.
    /// </summary>
    public async Task<TimeSkippingEnvironment> TimeSkippingAsync()
    {
        if (_timeSkipping is not null)
        {
            return _timeSkipping;
        }

        if (TimeSkippingSkipReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        if (IsEmbedded)
        {
            var options = new EmbeddedTemporalOptions { TimeSkipping = true };
            foreach (var (name, type) in ProductSearchAttributes)
            {
                options.SearchAttributes[name] = type;
            }

            _timeSkippingServer = await EmbeddedTemporalServer.StartAsync(options);
            var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(_timeSkippingServer.Address) { Namespace = "default" });
            _timeSkipping = new TimeSkippingEnvironment(client, _timeSkippingServer.Address, "default");
        }
        else
        {
            _timeSkipping = new TimeSkippingEnvironment(Client, Address, Namespace);
        }

        return _timeSkipping;
    }

    public async Task DisposeAsync()
    {
        _client = null;
        _timeSkipping = null;
        if (_timeSkippingServer is not null)
        {
            await _timeSkippingServer.DisposeAsync();
            _timeSkippingServer = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    private static string? ProbeTimeSkipping()
    {
        var address = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        try
        {
            var ns = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE");
            var client = TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address.Trim()) { Namespace = string.IsNullOrWhiteSpace(ns) ? "default" : ns.Trim() })
                .GetAwaiter().GetResult();
            client.Connection.TestService.GetCurrentTimeAsync(new()).GetAwaiter().GetResult();
            return null;
        }
        catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.Unimplemented)
        {
            return $"Needs time skipping: the server at TEMPORAL_ADDRESS ({address.Trim()}) has no TestService (a real Temporal server has none; "
                + "Temporal's test server and the embedded server started with time skipping do). Waiting out the workflow's timers in real time would take minutes.";
        }
#pragma warning disable CA1031 // any failure to ask means the capability is unknown: skip with the reason rather than break discovery
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"Needs time skipping: could not ask the server at TEMPORAL_ADDRESS ({address.Trim()}) for Temporal's TestService: {ex.Message}";
        }
    }

    /// <summary>A new client to the fixture's server; target host and namespace are filled unless set in <paramref name="overrides"/>.</summary>
    public Task<TemporalClient> ConnectClientAsync(TemporalClientConnectOptions? overrides = null)
    {
        var options = overrides ?? new TemporalClientConnectOptions();
        if (string.IsNullOrEmpty(options.TargetHost))
        {
            options.TargetHost = Address;
        }

        if (overrides is null || string.IsNullOrEmpty(options.Namespace) || options.Namespace == "default")
        {
            options.Namespace = Namespace;
        }

        return TemporalClient.ConnectAsync(options);
    }

    /// <summary>
    /// Registers custom search attributes through OperatorService AddSearchAttributes, skipping
    /// those already registered, and waits until the server lists them.
    /// </summary>
    public async Task EnsureSearchAttributesAsync(IReadOnlyDictionary<string, IndexedValueType> attributes)
    {
        var operators = Client.Connection.OperatorService;
        var listed = await operators.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = Namespace });
        var missing = attributes.Where(a => !listed.CustomAttributes.ContainsKey(a.Key)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var request = new AddSearchAttributesRequest { Namespace = Namespace };
        foreach (var (name, type) in missing)
        {
            request.SearchAttributes[name] = type;
        }

        try
        {
            await operators.AddSearchAttributesAsync(request);
        }
        catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.AlreadyExists)
        {
            // Registered concurrently by another fixture: fine.
        }

        await Eventually.Async(
            async () =>
            {
                var now = await operators.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = Namespace });
                return attributes.Keys.All(now.CustomAttributes.ContainsKey);
            },
            TimeSpan.FromSeconds(30),
            "search attributes to be registered");
    }
}
