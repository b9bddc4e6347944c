using EventProcessor.TestSupport;

namespace EventProcessor.EmbeddedTemporal.Tests;

[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "Temporal";
}
