using EventProcessor.Activities.Configuration;
using EventProcessor.TestSupport;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Email.Tests;

public sealed class EmailServiceCollectionTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Smtp:Host"] = "smtp.example.com",
        ["Smtp:Port"] = "465",
        ["Smtp:Security"] = "SslOnConnect",
        ["Smtp:Username"] = "relay-user",
        ["Smtp:Password"] = "relay-pass-9d8e",
        ["Smtp:FromAddress"] = "notifications@example.com",
        ["Smtp:FromName"] = "Phoenix",
    };

    [Fact]
    public void AddEmail_binds_the_Smtp_section_and_builds_the_activities()
    {
        using var services = Build(Valid);

        var options = services.Get<IOptions<SmtpOptions>>().Value;
        Assert.Equal("smtp.example.com", options.Host);
        Assert.Equal(465, options.Port);
        Assert.Equal(SmtpSecurity.SslOnConnect, options.Security);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal("example.com", options.MessageIdDomain);
        Assert.NotNull(services.Get<EmailActivities>());
        Assert.DoesNotContain("relay-pass-9d8e", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Smtp:Host", null, "Smtp:Host")]
    [InlineData("Smtp:FromAddress", "not-an-address", "Smtp:FromAddress")]
    [InlineData("Smtp:Port", "0", "Smtp:Port")]
    [InlineData("Smtp:TimeoutSeconds", "0", "Smtp:TimeoutSeconds")]
    [InlineData("Smtp:Password", null, "Smtp:Password")]
    public void An_invalid_setting_is_reported_by_name_without_the_password(string key, string? value, string named)
    {
        using var services = Build(new Dictionary<string, string?>(Valid) { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => services.Get<IOptions<SmtpOptions>>().Value);

        Assert.Contains($"{named} (environment variable {named.Replace(":", "__", StringComparison.Ordinal)}) ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("relay-pass-9d8e", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_passes_for_a_relay_without_login()
    {
        var options = new SmtpOptions { Host = "localhost", Port = 25, Security = SmtpSecurity.None, FromAddress = "a@example.com" };

        Assert.Same(options, SmtpOptions.Validator.ThrowIfInvalid(options));
        Assert.Equal("SMTP localhost:25 (None) as anonymous, from a@example.com", options.ToString());
    }

    /// <summary>The product's registration with no clock of the test's (null): only the binding and validation of the section are under test.</summary>
    private static ServiceHarness Build(Dictionary<string, string?> settings) =>
        ServiceHarness.Start(settings, null, (services, configuration) => services.AddEmail(configuration));
}
