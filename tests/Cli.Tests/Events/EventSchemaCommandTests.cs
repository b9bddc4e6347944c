namespace EventProcessor.Cli.Tests.Events;

public sealed class EventSchemaCommandTests
{
    [Fact]
    public async Task Schema_prints_the_checked_in_schema_of_the_type()
    {
        var result = await CliRun.RunAsync("events", "schema", "CrawlerIncidentEvent");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var published = await File.ReadAllTextAsync(Path.Combine(EventProcessor.TestSupport.SampleEvents.RepositoryRoot(), "schemas", "CrawlerIncidentEvent.json"));
        Assert.Equal(published.ReplaceLineEndings("\n"), result.Out.ReplaceLineEndings("\n"));
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Schema_of_an_unknown_type_is_a_usage_error_listing_the_types()
    {
        var result = await CliRun.RunAsync("events", "schema", "TicketDeletedEvent");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error: 'TicketDeletedEvent' is not a detail-type of the event catalog; one of: ContactFormSubmittedEvent, ", result.Error, StringComparison.Ordinal);
        Assert.Contains("TicketCommentedEvent", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }
}
