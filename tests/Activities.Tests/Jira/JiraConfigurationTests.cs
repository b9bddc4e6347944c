using System.Text;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Platform;
using EventProcessor.DownstreamStubs;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Tests.Jira;

/// <summary>The Jira and Platform sections are validated with messages naming the setting, and secrets never show.</summary>
public sealed class JiraConfigurationTests
{
    [Theory]
    [InlineData("Jira:BaseUrl", null, "Jira:BaseUrl (environment variable Jira__BaseUrl) is required.")]
    [InlineData("Jira:BaseUrl", "example.atlassian.net", "Jira:BaseUrl (environment variable Jira__BaseUrl) is invalid: 'example.atlassian.net' is not an absolute http(s) URL.")]
    [InlineData("Jira:Email", "not-an-email", "Jira:Email (environment variable Jira__Email) is not a valid e-mail address.")]
    [InlineData("Jira:ApiToken", "", "Jira:ApiToken (environment variable Jira__ApiToken) is required.")]
    [InlineData("Jira:TimeoutSeconds", "0", "Jira:TimeoutSeconds (environment variable Jira__TimeoutSeconds) must be between 1 and 300.")]
    public void An_invalid_Jira_setting_is_named(string key, string? value, string expected)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<JiraOptions>(key, value));

        Assert.Contains(failure.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Platform:BaseUrl", "ftp://platform", "Platform:BaseUrl (environment variable Platform__BaseUrl) is invalid: 'ftp://platform' is not an absolute http(s) URL.")]
    [InlineData("Platform:Token", null, "Platform:Token (environment variable Platform__Token) is required.")]
    public void An_invalid_Platform_setting_is_named(string key, string? value, string expected)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<PlatformOptions>(key, value));

        Assert.Contains(failure.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_never_print_their_secrets()
    {
        var jira = Resolve<JiraOptions>();
        var platform = Resolve<PlatformOptions>();

        Assert.Equal("Jira http://jira.test as eventprocessor@example.com", jira.ToString());
        Assert.DoesNotContain(platform.Token, platform.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Jira_authenticates_with_basic_email_and_token_and_browses_under_the_site()
    {
        var jira = Resolve<JiraOptions>("Jira:BaseUrl", "https://acme.atlassian.net/");

        Assert.Equal("Basic", jira.Authorization().Scheme);
        Assert.Equal($"{jira.Email}:{jira.ApiToken}", Encoding.UTF8.GetString(Convert.FromBase64String(jira.Authorization().Parameter!)));
        Assert.Equal("https://acme.atlassian.net/browse/SUP-1", jira.BrowseUrl("SUP-1"));
        Assert.Equal(TimeSpan.FromSeconds(10), jira.Timeout);
    }

    [Fact]
    public void AddJira_and_AddPlatform_register_the_activities()
    {
        using var provider = Services();

        Assert.NotNull(provider.Get<JiraActivities>());
        Assert.NotNull(provider.Get<PlatformActivities>());
        Assert.Same(TimeProvider.System, provider.Get<TimeProvider>());
    }

    private static T Resolve<T>(string? key = null, string? value = null)
        where T : class
    {
        using var provider = Services(key, value);
        return provider.Get<IOptions<T>>().Value;
    }

    /// <summary>The product's registration with no clock of the test's (null), so its own default stays in place.</summary>
    private static ServiceHarness Services(string? key = null, string? value = null)
    {
        var overrides = key is null ? null : new Dictionary<string, string?> { [key] = value };
        return ServiceHarness.Start(Settings("http://jira.test", overrides), null, (services, configuration) => services.AddJira(configuration).AddPlatform(configuration));
    }

    /// <summary>The sections <c>Jira</c> and <c>Platform</c> as an operator would set them, with <paramref name="overrides"/> applied.</summary>
    private static Dictionary<string, string?> Settings(string baseUrl, IDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jira:BaseUrl"] = baseUrl,
            ["Jira:Email"] = JiraStub.DefaultEmail,
            ["Jira:ApiToken"] = JiraStub.DefaultApiToken,
            ["Jira:TimeoutSeconds"] = "10",
            ["Platform:BaseUrl"] = baseUrl,
            ["Platform:Token"] = PlatformStub.DefaultToken,
            ["Platform:TimeoutSeconds"] = "10",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
