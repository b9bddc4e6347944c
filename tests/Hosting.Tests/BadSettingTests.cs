using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventProcessor.Hosting.Tests;

/// <summary>
/// The one way a bad setting is reported: the setting, its environment variable, and what is
/// wrong, whether the section is read at init or validated when a host starts, and whichever
/// check found it (an attribute, <see cref="IValidatableObject"/>, or the binder's conversion).
/// </summary>
public sealed class BadSettingTests
{
    private static readonly SectionValidator<SampleOptions> Validator = new("Sample", new SampleOptionsValidator());

    [Fact]
    public void A_problem_names_the_setting_and_its_environment_variable()
    {
        var problem = new SettingProblem("Temporal:Tls:CaPath", "is required.");

        Assert.Equal("Temporal__Tls__CaPath", problem.EnvironmentVariable);
        Assert.Equal("Temporal:Tls:CaPath (environment variable Temporal__Tls__CaPath) is required.", problem.ToString());
    }

    [Theory]
    [InlineData("Sample:Name", null, "Sample:Name (environment variable Sample__Name) is required.")]
    [InlineData("Sample:Port", "0", "Sample:Port (environment variable Sample__Port) must be between 1 and 65535.")]
    [InlineData("Sample:Email", "nobody", "Sample:Email (environment variable Sample__Email) is not a valid e-mail address.")]
    [InlineData("Sample:Url", "ftp://x", "Sample:Url (environment variable Sample__Url) is invalid: 'ftp://x' is not an absolute http(s) URL.")]
    public void The_generated_validators_failures_become_the_one_message(string key, string? value, string expected)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(Valid(key, value)));

        Assert.Equal(key, error.Setting);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void An_entry_checked_by_the_options_class_is_named_by_its_key_dots_and_dashes_kept()
    {
        // A member written as a configuration path (Hosts:eu-1.old) keeps its dots: they belong to the key.
        var error = Assert.Throws<InvalidSettingException>(() => Read(Valid("Sample:Hosts:eu-1.old", " ")));

        Assert.Equal("Sample:Hosts:eu-1.old", error.Setting);
        Assert.Equal("Sample:Hosts:eu-1.old (environment variable Sample__Hosts__eu-1.old) is empty: give a host name or remove it.", error.Message);
    }

    [Fact]
    public void A_value_the_binder_cannot_convert_is_named_like_any_other_bad_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(Valid("Sample:Port", "lots")));

        Assert.Equal("Sample:Port", error.Setting);
        Assert.Equal("Sample:Port (environment variable Sample__Port) must be a whole number, not 'lots'.", error.Message);
    }

    [Fact]
    public void Options_validated_on_start_fail_with_the_same_lines()
    {
        using var provider = Services(Valid("Sample:Port", "0"));

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SampleOptions>>().Value);

        Assert.Equal(["Sample:Port (environment variable Sample__Port) must be between 1 and 65535."], failure.Failures);
        Assert.Equal(failure.Failures, SettingProblems.Of(failure));
    }

    [Fact]
    public void A_conversion_failure_on_start_is_found_by_the_same_helper()
    {
        using var provider = Services(Valid("Sample:Port", "lots"));

        var failure = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<SampleOptions>>().Value);

        Assert.Equal(["Sample:Port (environment variable Sample__Port) must be a whole number, not 'lots'."], SettingProblems.Of(failure));
    }

    [Fact]
    public void Valid_options_pass_and_other_failures_are_not_settings()
    {
        var options = Read(Valid());

        Assert.Equal(8080, options.Port);
        Assert.Empty(SettingProblems.Of(new InvalidOperationException("the socket closed")));
    }

    private static SampleOptions Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<SampleOptions>());

    private static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddOptions<SampleOptions>().Bind(configuration.GetSection("Sample")).ValidateWith(Validator);
        return services.BuildServiceProvider();
    }

    private static IConfiguration Valid(string? key = null, string? value = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sample:Name"] = "sample",
            ["Sample:Port"] = "8080",
            ["Sample:Email"] = "ops@example.com",
            ["Sample:Url"] = "https://example.com",
        };
        if (key is not null)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}

public sealed class SampleOptions : IValidatableObject
{
    [Required]
    public string? Name { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; }

    [EmailAddress]
    public string? Email { get; set; }

    public string? Url { get; set; }

    public Dictionary<string, string> Hosts { get; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, host) in Hosts)
        {
            if (string.IsNullOrWhiteSpace(host))
            {
                yield return new ValidationResult("is empty: give a host name or remove it.", [$"{nameof(Hosts)}:{name}"]);
            }
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"'{Url}' is not an absolute http(s) URL.", [nameof(Url)]);
        }
    }
}

[OptionsValidator]
public sealed partial class SampleOptionsValidator : IValidateOptions<SampleOptions>;
