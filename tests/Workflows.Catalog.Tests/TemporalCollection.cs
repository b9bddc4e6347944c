using EventProcessor.Testing;

namespace EventProcessor.Workflows.Catalog.Tests;

[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "Temporal";
}
