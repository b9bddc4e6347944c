using EventProcessor.EmbeddedTemporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Xunit;

namespace EventProcessor.Testing;

/// <summary>
/// The Temporal server every test talks to. With <c>TEMPORAL_ADDRESS</c> set it connects there
/// (namespace from <c>TEMPORAL_NAMESPACE</c>, default <c>default</c>); otherwise it starts an
/// <see cref="EmbeddedTemporalServer"/>. Tests never know which. Share it with an xunit
/// collection fixture declared in each test assembly.
/// </summary>
public sealed class TemporalServerFixture : IAsyncLifetime
{
    /// <summary>The product's custom search attributes, registered by default.</summary>
    public static readonly IReadOnlyDictionary<string, IndexedValueType> ProductSearchAttributes = new Dictionary<string, IndexedValueType>(StringComparer.Ordinal)
    {
        ["EventType"] = IndexedValueType.Keyword,
        ["EventSource"] = IndexedValueType.Keyword,
        ["EventId"] = IndexedValueType.Keyword,
        ["ProjectUuid"] = IndexedValueType.Keyword,
        ["TicketKey"] = IndexedValueType.Keyword,
        ["ReportId"] = IndexedValueType.Keyword,
    };

    private EmbeddedTemporalServer? _server;
    private TemporalClient? _client;

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

    public async Task DisposeAsync()
    {
        _client = null;
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
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
