using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.LambdaTrigger.Tests.Configuration;

public sealed class SettingsTests
{
    [Fact]
    public void Environment_style_keys_are_read_with_defaults_for_namespace_and_task_queue()
    {
        var settings = TemporalSettingsReader.Read(Config(new() { ["Temporal:Address"] = "temporal.internal:7233" }));

        Assert.Equal(new TemporalSettings("temporal.internal:7233", "default", "event-processor", null, TemporalTlsSettings.None), settings);
        Assert.False(settings.UsesTls);
    }

    [Fact]
    public void An_api_key_turns_tls_on_and_is_never_printed()
    {
        var settings = TemporalSettingsReader.Read(Config(new()
        {
            ["Temporal:Address"] = "ns.a1b2c.tmprl.cloud:7233",
            ["Temporal:Namespace"] = "ns.a1b2c",
            ["Temporal:ApiKey"] = "secret-key-value",
        }));

        Assert.True(settings.UsesTls);
        Assert.DoesNotContain("secret-key-value", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey = (set)", settings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Temporal:Tls:CaPath", "/nonexistent/ca.pem", "Temporal:Tls:CaPath")]
    [InlineData("Temporal:ApiKey", " ", "Temporal:ApiKey")]
    public void A_wrong_setting_is_named_in_the_error(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidSettingException>(() =>
            TemporalSettingsReader.Read(Config(new() { ["Temporal:Address"] = "localhost:7233", [key] = value })));

        Assert.Equal(named, error.Setting);
        Assert.Contains(named.Replace(":", "__", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_start_margin_defaults_to_500_ms_and_a_wrong_one_is_named_in_the_error()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), StartMarginReader.Read(Config(new())));
        Assert.Equal(TimeSpan.FromMilliseconds(250), StartMarginReader.Read(Config(new() { ["Temporal:StartMarginMilliseconds"] = "250" })));

        var error = Assert.Throws<InvalidSettingException>(() => StartMarginReader.Read(Config(new() { ["Temporal:StartMarginMilliseconds"] = "soon" })));

        Assert.Equal("Temporal:StartMarginMilliseconds", error.Setting);
        Assert.Equal("Temporal:StartMarginMilliseconds (environment variable Temporal__StartMarginMilliseconds) must be a whole number of milliseconds under 60000, not 'soon'.", error.Message);
    }

    [Fact]
    public void Allowed_sources_may_be_a_list_or_one_comma_separated_value()
    {
        var options = EventValidationSettingsReader.Read(Config(new()
        {
            ["Events:AllowedSources:TicketCommentedEvent"] = "phoenix-webhooks, test-source",
            ["Events:AllowedSources:UserCreatedEvent:0"] = "a",
            ["Events:AllowedSources:UserCreatedEvent:1"] = "b",
        }));

        Assert.Equal(["phoenix-webhooks", "test-source"], options.AllowedSources["TicketCommentedEvent"]);
        Assert.Equal(["a", "b"], options.AllowedSources["UserCreatedEvent"]);
    }

    [Fact]
    public void An_unknown_detail_type_in_allowed_sources_is_a_configuration_error()
    {
        var error = Assert.Throws<InvalidSettingException>(() =>
            EventValidationSettingsReader.CreateParser(Config(new() { ["Events:AllowedSources:NoSuchEvent"] = "x" })));

        Assert.Equal("Events:AllowedSources", error.Setting);
        Assert.Contains("NoSuchEvent", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
