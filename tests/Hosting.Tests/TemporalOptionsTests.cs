using Microsoft.Extensions.Configuration;

namespace EventProcessor.Hosting.Tests;

/// <summary>Section <c>Temporal</c>, bound and validated by the source generators, as the trigger, the worker, the CLI and the local run read it.</summary>
public sealed class TemporalOptionsTests
{
    [Fact]
    public void Environment_style_keys_are_read_with_defaults_for_namespace_and_task_queue()
    {
        var settings = TemporalOptions.Read(Config(new() { ["Temporal:Address"] = "temporal.internal:7233" }));

        Assert.Equal(new TemporalSettings("temporal.internal:7233", "default", "event-processor", null, TemporalTlsSettings.None), settings);
        Assert.False(settings.UsesTls);
    }

    [Fact]
    public void Environment_variables_bind_like_configuration_keys()
    {
        var settings = TemporalOptions.Read(Config(new()
        {
            ["Temporal:Address"] = " temporal.internal:7233 ",
            ["Temporal:Namespace"] = "payments",
            ["Temporal:TaskQueue"] = " ",
        }));

        Assert.Equal("temporal.internal:7233", settings.Address);
        Assert.Equal("payments", settings.Namespace);
        Assert.Equal(TemporalSettings.DefaultTaskQueue, settings.TaskQueue);
    }

    [Fact]
    public void An_api_key_turns_tls_on_and_is_never_printed()
    {
        var settings = TemporalOptions.Read(Config(new()
        {
            ["Temporal:Address"] = "ns.a1b2c.tmprl.cloud:7233",
            ["Temporal:Namespace"] = "ns.a1b2c",
            ["Temporal:ApiKey"] = "secret-key-value",
        }));

        Assert.True(settings.UsesTls);
        Assert.DoesNotContain("secret-key-value", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey = (set)", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_files_that_exist_are_kept()
    {
        var pem = Path.GetTempFileName();
        try
        {
            var settings = TemporalOptions.Read(Config(new()
            {
                ["Temporal:Address"] = "localhost:7233",
                ["Temporal:Tls:ClientCertPath"] = pem,
                ["Temporal:Tls:ClientKeyPath"] = pem,
            }));

            Assert.Equal(new TemporalTlsSettings(null, pem, pem), settings.Tls);
            Assert.True(settings.UsesTls);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void A_missing_address_is_named_with_its_environment_variable_and_an_example()
    {
        var error = Assert.Throws<InvalidSettingException>(() => TemporalOptions.Read(Config(new())));

        Assert.Equal("Temporal:Address", error.Setting);
        Assert.Equal(
            "Temporal:Address (environment variable Temporal__Address) is required: the host:port of the Temporal frontend, e.g. my-namespace.a1b2c.tmprl.cloud:7233.",
            error.Message);
    }

    [Theory]
    [InlineData("Temporal:Address", "http://temporal.internal:7233", "Temporal:Address", "must be host:port without a scheme, not 'http://temporal.internal:7233'.")]
    [InlineData("Temporal:Address", "temporal.internal", "Temporal:Address", "must be host:port without a scheme, not 'temporal.internal'.")]
    [InlineData("Temporal:Address", "temporal.internal:70000", "Temporal:Address", "must be host:port without a scheme, not 'temporal.internal:70000'.")]
    [InlineData("Temporal:Tls:CaPath", "/nonexistent/ca.pem", "Temporal:Tls:CaPath", "names '/nonexistent/ca.pem', which is not a readable file.")]
    [InlineData("Temporal:ApiKey", " ", "Temporal:ApiKey", "is empty: remove it, or set the Temporal Cloud API key.")]
    public void A_wrong_setting_is_named_in_the_error(string key, string value, string named, string problem)
    {
        var error = Assert.Throws<InvalidSettingException>(() =>
            TemporalOptions.Read(Config(new() { ["Temporal:Address"] = "localhost:7233", [key] = value })));

        Assert.Equal(named, error.Setting);
        Assert.Equal($"{named} (environment variable {named.Replace(":", "__", StringComparison.Ordinal)}) {problem}", error.Message);
    }

    [Fact]
    public void A_client_certificate_without_its_key_names_the_missing_key()
    {
        var pem = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<InvalidSettingException>(() => TemporalOptions.Read(Config(new()
            {
                ["Temporal:Address"] = "localhost:7233",
                ["Temporal:Tls:ClientCertPath"] = pem,
            })));

            Assert.Equal("Temporal:Tls:ClientKeyPath", error.Setting);
            Assert.Contains("Temporal__Tls__ClientKeyPath", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void Every_bad_setting_of_the_section_is_reported_at_once()
    {
        var error = Assert.Throws<InvalidSettingException>(() => TemporalOptions.Read(Config(new()
        {
            ["Temporal:Address"] = "temporal.internal",
            ["Temporal:ApiKey"] = "",
        })));

        Assert.Equal(["Temporal:Address", "Temporal:ApiKey"], error.Problems.Select(p => p.Setting));
        Assert.Equal(2, error.Message.Split(Environment.NewLine).Length);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
