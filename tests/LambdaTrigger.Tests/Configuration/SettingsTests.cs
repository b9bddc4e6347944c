using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.LambdaTrigger.Tests.Configuration;

/// <summary>The trigger's own setting; the shared sections are tested in tests/Hosting.Tests.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void The_start_margin_defaults_to_500_ms_and_a_wrong_one_is_named_in_the_error()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), TriggerOptions.Read(Config(new())).StartMargin);
        Assert.Equal(TimeSpan.FromMilliseconds(250), TriggerOptions.Read(Config(new() { ["Temporal:StartMarginMilliseconds"] = "250" })).StartMargin);

        var error = Assert.Throws<InvalidSettingException>(() => TriggerOptions.Read(Config(new() { ["Temporal:StartMarginMilliseconds"] = "soon" })));

        Assert.Equal("Temporal:StartMarginMilliseconds", error.Setting);
        Assert.Equal("Temporal:StartMarginMilliseconds (environment variable Temporal__StartMarginMilliseconds) must be a whole number, not 'soon'.", error.Message);
    }

    [Fact]
    public void A_start_margin_of_a_minute_or_more_is_refused()
    {
        var error = Assert.Throws<InvalidSettingException>(() => TriggerOptions.Read(Config(new() { ["Temporal:StartMarginMilliseconds"] = "60000" })));

        Assert.Equal("Temporal:StartMarginMilliseconds (environment variable Temporal__StartMarginMilliseconds) must be between 0 and 59999.", error.Message);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
