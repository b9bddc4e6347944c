using EventProcessor.TestSupport;

namespace EventProcessor.Workflows.Tests;

[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "Temporal";
}
