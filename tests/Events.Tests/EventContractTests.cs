using EventProcessor.Events.Catalog;
using EventProcessor.Events.Contracts;

namespace EventProcessor.Events.Tests;

/// <summary>
/// The published contracts (schemas/*.json, docs/events.md) are generated from the catalog and
/// checked in. These tests regenerate them and fail when a checked-in file differs; run them with
/// <c>UPDATE_EVENT_CONTRACTS=1</c> to write the files instead (then commit them):
/// <c>UPDATE_EVENT_CONTRACTS=1 dotnet test tests/Events.Tests --filter EventContractTests</c>.
/// </summary>
public class EventContractTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("UPDATE_EVENT_CONTRACTS") == "1";

    public static TheoryData<string> DetailTypes() => [.. EventCatalog.All.Select(d => d.DetailType)];

    [Theory]
    [MemberData(nameof(DetailTypes))]
    public void The_checked_in_schema_is_the_one_the_catalog_generates(string detailType)
    {
        var definition = EventCatalog.Get(detailType);
        var path = Path.Combine(RepositoryPaths.Schemas, EventSchemaGenerator.FileName(definition));

        AssertCurrent(path, EventSchemaGenerator.Generate(definition));
    }

    [Fact]
    public void There_is_one_schema_per_detail_type_and_nothing_else()
    {
        var files = Directory.GetFiles(RepositoryPaths.Schemas).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(EventCatalog.All.Select(EventSchemaGenerator.FileName).Order(StringComparer.Ordinal), files);
        Assert.Equal(29, files.Count());
    }

    [Fact]
    public void The_checked_in_events_doc_is_the_one_the_catalog_generates()
    {
        AssertCurrent(RepositoryPaths.EventsDoc, EventCatalogDocument.Render(RepositoryPaths.Sample));
    }

    [Fact]
    public void The_events_doc_lists_every_type_field_and_sample()
    {
        var doc = EventCatalogDocument.Render(RepositoryPaths.Sample);

        foreach (var definition in EventCatalog.All)
        {
            Assert.Contains($"## {definition.DetailType}\n", doc, StringComparison.Ordinal);
            Assert.Contains(definition.Behaviour, doc, StringComparison.Ordinal);
            Assert.All(definition.DefaultSources, s => Assert.Contains($"`{s}`", doc, StringComparison.Ordinal));
            Assert.All(definition.Fields, f => Assert.Contains($"| `{f.Name}` | {EventCatalogDocument.TypeName(f.Type)} | {(f.Required ? "yes" : "no")} |", doc, StringComparison.Ordinal));
            Assert.Contains(RepositoryPaths.Sample(definition.DetailType).TrimEnd('\n'), doc, StringComparison.Ordinal);
        }

        Assert.Contains("CrawlerIncidentEvent `details`", doc, StringComparison.Ordinal);
    }

    private static void AssertCurrent(string path, string generated)
    {
        if (Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; regenerate with UPDATE_EVENT_CONTRACTS=1 dotnet test tests/Events.Tests --filter EventContractTests");
        var current = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(
            current == generated,
            $"{path} is not what the catalog generates; regenerate with UPDATE_EVENT_CONTRACTS=1 dotnet test tests/Events.Tests --filter EventContractTests, review and commit it. First difference at character {FirstDifference(current, generated)}.");
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }
}
