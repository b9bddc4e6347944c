using System.Net;
using EventProcessor.EmbeddedTemporal.Hosting;
using EventProcessor.EmbeddedTemporal.Matching;
using EventProcessor.EmbeddedTemporal.State;
using EventProcessor.EmbeddedTemporal.Timers;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventProcessor.EmbeddedTemporal;

/// <summary>
/// An in-memory implementation of Temporal's frontend gRPC API (WorkflowService and the search
/// attribute part of OperatorService), served by Kestrel over HTTP/2 without TLS on 127.0.0.1.
/// </summary>
public sealed class EmbeddedTemporalServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimerService _timers;
    private readonly ServerContext _context;

    private EmbeddedTemporalServer(WebApplication app, TimerService timers, ServerContext context, string address)
    {
        _app = app;
        _timers = timers;
        _context = context;
        Address = address;
    }

    /// <summary>"127.0.0.1:PORT", ready for <c>TemporalClient.ConnectAsync</c>.</summary>
    public string Address { get; }

    public static async Task<EmbeddedTemporalServer> StartAsync(EmbeddedTemporalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedTemporalOptions();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 4096;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 1024 * 1024;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = 128 * 1024 * 1024;
            grpc.MaxSendMessageSize = 128 * 1024 * 1024;
        });

        var skipping = options.TimeSkipping ? new TimeSkipping(TimeProvider.System, loggerFactory.CreateLogger<TimeSkipping>()) : null;
        var timers = skipping is null
            ? new TimerService(TimeProvider.System, loggerFactory.CreateLogger<TimerService>())
            : new TimerService(skipping, loggerFactory.CreateLogger<TimerService>());
        var server = new ServerContext(skipping ?? TimeProvider.System, timers, new MatchingService(), loggerFactory, options, skipping);
        foreach (var name in options.Namespaces.Prepend("default").Distinct(StringComparer.Ordinal))
        {
            var ns = server.AddNamespace(name);
            if (options.SearchAttributes.Count > 0)
            {
                ns.SearchAttributes.Add(options.SearchAttributes.AsReadOnly());
            }
        }

        builder.Services.AddSingleton(server);
        builder.Services.AddSingleton(sp =>
        {
            var registry = new RpcRegistry(loggerFactory.CreateLogger<RpcRegistry>(), skipping);
            HandlerRegistration.RegisterAll(registry, sp.GetRequiredService<ServerContext>());
            return registry;
        });
        builder.Services.AddSingleton<TemporalGrpcService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<TemporalGrpcService>, TemporalServiceMethodProvider>());

        var app = builder.Build();
        app.MapGrpcService<TemporalGrpcService>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            timers.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        var port = new Uri(bound).Port;
        return new EmbeddedTemporalServer(app, timers, server, $"127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        _context.Stop();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _timers.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
