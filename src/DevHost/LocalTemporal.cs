using EventProcessor.EmbeddedTemporal;
using EventProcessor.Events.Catalog;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace EventProcessor.DevHost;

/// <summary>The Temporal frontend of a local run: the embedded one, or an existing server at <c>TEMPORAL_ADDRESS</c>.</summary>
public sealed class LocalTemporal : IAsyncDisposable
{
    private readonly EmbeddedTemporalServer? server;

    private LocalTemporal(EmbeddedTemporalServer? server, string address, string ns, TemporalClient client)
    {
        this.server = server;
        Address = address;
        Namespace = ns;
        Client = client;
    }

    public string Address { get; }

    public string Namespace { get; }

    public bool IsEmbedded => server is not null;

    public TemporalClient Client { get; }

    /// <param name="dataConverter">The run's converter (the worker's and intake's), so results of encrypted runs can be read.</param>
    public static async Task<LocalTemporal> StartAsync(string? address, string ns, DataConverter dataConverter)
    {
        ArgumentNullException.ThrowIfNull(dataConverter);
        EmbeddedTemporalServer? server = null;
        if (string.IsNullOrWhiteSpace(address))
        {
            var options = new EmbeddedTemporalOptions();
            foreach (var key in EventSearchAttributes.AllKeys)
            {
                options.SearchAttributes[key.Name] = IndexedValueType.Keyword;
            }

            server = await EmbeddedTemporalServer.StartAsync(options).ConfigureAwait(false);
            address = server.Address;
            ns = "default";
        }

        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address.Trim()) { Namespace = ns, DataConverter = dataConverter }).ConfigureAwait(false);
        if (server is null)
        {
            await RegisterSearchAttributesAsync(client, ns).ConfigureAwait(false);
        }

        return new LocalTemporal(server, address.Trim(), ns, client);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What <c>temporal operator search-attribute create</c> does, for the attributes the server lacks.</summary>
    private static async Task RegisterSearchAttributesAsync(TemporalClient client, string ns)
    {
        var operators = client.Connection.OperatorService;
        var listed = await operators.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = ns }).ConfigureAwait(false);
        var request = new AddSearchAttributesRequest { Namespace = ns };
        foreach (var key in EventSearchAttributes.AllKeys.Where(k => !listed.CustomAttributes.ContainsKey(k.Name)))
        {
            request.SearchAttributes[key.Name] = IndexedValueType.Keyword;
        }

        if (request.SearchAttributes.Count == 0)
        {
            return;
        }

        try
        {
            await operators.AddSearchAttributesAsync(request).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.AlreadyExists)
        {
            // Another local run registered them first.
        }
    }
}
