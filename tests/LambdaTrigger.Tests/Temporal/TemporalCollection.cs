using EventProcessor.TestSupport;

namespace EventProcessor.LambdaTrigger.Tests.Temporal;

/// <summary>One Temporal server (embedded, or TEMPORAL_ADDRESS) for every Temporal-backed test of this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "Temporal";
}
