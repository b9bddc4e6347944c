using EventProcessor.Events.Catalog;
using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Tests;

/// <summary>
/// Contracts only change in backward-compatible ways: the samples of every earlier version
/// (samples/events/history/v{n}/) must still parse and validate against today's schemas.
/// </summary>
public class HistorySampleTests
{
    private readonly EventParser parser = new();

    public static TheoryData<string> HistorySamples() =>
    [
        .. Directory.GetFiles(RepositoryPaths.HistorySampleEvents, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.HistorySampleEvents, f))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(HistorySamples))]
    public void Every_earlier_sample_still_parses_and_validates(string relativePath)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.HistorySampleEvents, relativePath));

        var parsed = parser.Parse(json);

        Assert.Equal(Path.GetFileNameWithoutExtension(relativePath), parsed.Envelope.DetailType);
        Assert.Empty(PublishedSchemas.Errors(parsed.Envelope.DetailType, json));
    }

    [Fact]
    public void Version_1_holds_a_sample_of_every_type()
    {
        var v1 = Directory.GetFiles(Path.Combine(RepositoryPaths.HistorySampleEvents, "v1"), "*.json").Select(Path.GetFileNameWithoutExtension);

        Assert.Equal(EventCatalog.All.Select(d => d.DetailType).Order(StringComparer.Ordinal), v1.Order(StringComparer.Ordinal));
    }
}
