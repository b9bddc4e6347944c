using Microsoft.Extensions.Configuration;

namespace EventProcessor.Hosting.Tests;

/// <summary>Section <c>Events</c>: allowed sources per detail-type, as a list or one comma-separated value.</summary>
public sealed class EventsOptionsTests
{
    [Fact]
    public void Allowed_sources_may_be_a_list_or_one_comma_separated_value()
    {
        var options = EventsOptions.Read(Config(new()
        {
            ["Events:AllowedSources:TicketCommentedEvent"] = "phoenix-webhooks, test-source",
            ["Events:AllowedSources:UserCreatedEvent:0"] = "a",
            ["Events:AllowedSources:UserCreatedEvent:1"] = "b",
        }));

        Assert.Equal(["phoenix-webhooks", "test-source"], options.AllowedSources["TicketCommentedEvent"]);
        Assert.Equal(["a", "b"], options.AllowedSources["UserCreatedEvent"]);
    }

    [Fact]
    public void Without_the_section_no_source_is_restricted()
    {
        Assert.Empty(EventsOptions.Read(Config(new())).AllowedSources);
    }

    [Fact]
    public void An_unknown_detail_type_in_allowed_sources_is_a_bad_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() =>
            EventsOptions.CreateParser(Config(new() { ["Events:AllowedSources:NoSuchEvent"] = "x" })));

        Assert.Equal("Events:AllowedSources", error.Setting);
        Assert.StartsWith("Events:AllowedSources (environment variable Events__AllowedSources) is invalid:", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchEvent", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
