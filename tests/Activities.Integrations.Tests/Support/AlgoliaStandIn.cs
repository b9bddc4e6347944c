using EventProcessor.Activities.Algolia;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Time.Testing;
using WireMock.Server;

namespace EventProcessor.Activities.Integrations.Tests.Support;

/// <summary>
/// Algolia's stand-in on a WireMock server of its own, and the product's Algolia services built
/// through the one <see cref="ServiceHarness"/> with a fake clock at a fixed instant.
/// </summary>
public sealed class AlgoliaStandIn : IDisposable
{
    public AlgoliaStandIn()
    {
        Product = new ServiceHarness(Time, (services, configuration) => services.AddAlgolia(configuration));
        Stub = new AlgoliaStub(Server);
    }

    public WireMockServer Server { get; } = WireMockServer.Start();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero));

    public ServiceHarness Product { get; }

    public AlgoliaStub Stub { get; }

    public void Dispose()
    {
        Product.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}
