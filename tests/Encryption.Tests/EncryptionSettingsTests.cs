using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Converters;

namespace EventProcessor.Encryption.Tests;

public sealed class EncryptionSettingsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("encryption-settings-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static InvalidSettingException Fails(params (string Key, string? Value)[] settings) =>
        Assert.Throws<InvalidSettingException>(() => EncryptionOptions.Read(TestKeys.Configuration(settings)));

    [Fact]
    public void Encryption_is_on_unless_switched_off_so_no_configuration_fails_naming_the_current_key_setting()
    {
        var error = Fails();

        Assert.Equal("Encryption:CurrentKeyId", error.Setting);
        Assert.StartsWith("Encryption:CurrentKeyId (environment variable Encryption__CurrentKeyId) is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Encryption:Enabled=false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_current_key_id_without_its_key_is_named()
    {
        var error = Fails(("Encryption:CurrentKeyId", "2026-11"), ("Encryption:Keys:2026-05", TestKeys.NewBase64()));

        Assert.Equal("Encryption:CurrentKeyId", error.Setting);
        Assert.Contains("is '2026-11', which is not among the configured keys (2026-05)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_key_is_named_without_showing_it()
    {
        const string notBase64 = "this is not base64 at all!!";
        var error = Fails(("Encryption:CurrentKeyId", "k1"), ("Encryption:Keys:k1", notBase64));

        Assert.Equal("Encryption:Keys:k1", error.Setting);
        Assert.Contains("(environment variable Encryption__Keys__k1) is malformed: the key is not base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(notBase64, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_named_with_its_length()
    {
        var sixteenBytes = Convert.ToBase64String(new byte[16]);
        var error = Fails(("Encryption:CurrentKeyId", "k1"), ("Encryption:Keys:k1", sixteenBytes));

        Assert.Equal("Encryption:Keys:k1", error.Setting);
        Assert.Contains("has the wrong length: the key decodes to 16 bytes; AES-256 needs exactly 32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sixteenBytes, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_key_and_an_invalid_enabled_flag_are_named()
    {
        Assert.Equal("Encryption:Keys:k1", Fails(("Encryption:CurrentKeyId", "k1"), ("Encryption:Keys:k1", " ")).Setting);
        var enabled = Fails(("Encryption:Enabled", "maybe"));
        Assert.Equal("Encryption:Enabled", enabled.Setting);
        Assert.Contains("must be true or false, not 'maybe'", enabled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_id_that_cannot_go_in_payload_metadata_is_refused()
    {
        var error = Fails(("Encryption:CurrentKeyId", "key one"), ("Encryption:Keys:key one", TestKeys.NewBase64()));

        // An id with a space cannot be told apart from the rest of the line, so the dictionary is named and the id quoted.
        Assert.Equal("Encryption:Keys", error.Setting);
        Assert.Contains("(environment variable Encryption__Keys) has an invalid key id 'key one'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_id_with_dots_and_dashes_is_named_as_written_and_every_bad_key_is_reported_at_once()
    {
        var sixteenBytes = Convert.ToBase64String(new byte[16]);
        var error = Fails(("Encryption:CurrentKeyId", "2026.05-a"), ("Encryption:Keys:2026.05-a", sixteenBytes), ("Encryption:Keys:old_1", "!!"));

        Assert.Equal(["Encryption:Keys:2026.05-a", "Encryption:Keys:old_1"], error.Problems.Select(p => p.Setting));
        Assert.Contains("(environment variable Encryption__Keys__2026.05-a) has the wrong length", error.Message, StringComparison.Ordinal);
        Assert.Contains("(environment variable Encryption__Keys__old_1) is malformed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sixteenBytes, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_come_from_secret_files_too_and_a_missing_file_is_named()
    {
        var keyA = TestKeys.NewBase64();
        var path = Path.Combine(directory, "key-b");
        await File.WriteAllTextAsync(path, TestKeys.NewBase64() + "\n");

        var settings = EncryptionOptions.Read(TestKeys.Configuration(
            ("Encryption:CurrentKeyId", "B"), ("Encryption:Keys:A", keyA), ("Encryption:KeyFiles:B", path)));

        Assert.True(settings.Enabled);
        Assert.Equal("B", settings.Keys!.CurrentKeyId);
        Assert.Equal(["A", "B"], settings.Keys.KeyIds);
        var missing = Path.Combine(directory, "absent");
        var error = Fails(("Encryption:CurrentKeyId", "B"), ("Encryption:KeyFiles:B", missing));
        Assert.Equal("Encryption:KeyFiles:B", error.Setting);
        Assert.Contains($"names '{missing}', which is not a readable file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_file_with_a_short_key_and_a_key_set_twice_are_named()
    {
        var path = Path.Combine(directory, "short");
        await File.WriteAllTextAsync(path, Convert.ToBase64String(new byte[31]));

        var shortKey = Fails(("Encryption:CurrentKeyId", "k"), ("Encryption:KeyFiles:k", path));
        var twice = Fails(("Encryption:CurrentKeyId", "k"), ("Encryption:Keys:k", TestKeys.NewBase64()), ("Encryption:KeyFiles:k", path));

        Assert.Equal("Encryption:KeyFiles:k", shortKey.Setting);
        Assert.Contains($"the file '{path}' decodes to 31 bytes", shortKey.Message, StringComparison.Ordinal);
        Assert.Equal("Encryption:KeyFiles:k", twice.Setting);
        Assert.Contains("already set by Encryption:Keys:k", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_read_from_environment_variables()
    {
        var key = TestKeys.NewBase64();
        var prefix = $"EPTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable($"{prefix}Encryption__CurrentKeyId", "env-key");
        Environment.SetEnvironmentVariable($"{prefix}Encryption__Keys__env-key", key);
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            var settings = EncryptionOptions.Read(configuration);

            Assert.Equal("env-key", settings.Keys!.CurrentKeyId);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}Encryption__CurrentKeyId", null);
            Environment.SetEnvironmentVariable($"{prefix}Encryption__Keys__env-key", null);
        }
    }

    [Fact]
    public void Switched_off_explicitly_the_converter_is_the_default_one_and_says_so()
    {
        var settings = EncryptionOptions.Read(TestKeys.Configuration(("Encryption:Enabled", "false")));

        var converter = EventProcessorDataConverter.Create(settings);

        Assert.Same(DataConverter.Default, converter);
        Assert.False(EventProcessorDataConverter.Encrypts(converter));
        Assert.Contains("encryption is OFF", settings.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Switched_on_the_converter_encrypts_and_encodes_failure_attributes_and_nothing_prints_a_key()
    {
        var key = TestKeys.NewBase64();
        var configuration = TestKeys.Configuration(("Encryption:CurrentKeyId", "k1"), ("Encryption:Keys:k1", key));

        var converter = EventProcessorDataConverter.Create(configuration);
        var settings = EncryptionOptions.Read(configuration);

        Assert.True(EventProcessorDataConverter.Encrypts(converter));
        var failures = Assert.IsType<DefaultFailureConverter.WithEncodedCommonAttributes>(converter.FailureConverter);
        Assert.True(failures.Options.EncodeCommonAttributes);
        Assert.Equal("Temporal payload encryption is on: AES-256-GCM, new payloads use key 'k1', payloads of keys 'k1' decode.", settings.Describe());
        Assert.DoesNotContain(key, settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, settings.Describe(), StringComparison.Ordinal);
        Assert.Contains("current 'k1'", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_registration_reads_the_section_at_once_and_registers_one_converter()
    {
        var bad = TestKeys.Configuration(("Encryption:CurrentKeyId", "k1"), ("Encryption:Keys:k1", "short"));
        Assert.Throws<InvalidSettingException>(() => new ServiceCollection().AddEventProcessorEncryption(bad));

        using var services = new ServiceCollection()
            .AddEventProcessorEncryption(TestKeys.Configuration(("Encryption:CurrentKeyId", "k1"), ("Encryption:Keys:k1", TestKeys.NewBase64())))
            .BuildServiceProvider();

        var converter = services.GetRequiredService<DataConverter>();
        Assert.Same(converter.PayloadCodec, services.GetRequiredService<IPayloadCodec>());
        Assert.IsType<AesGcmPayloadCodec>(converter.PayloadCodec);
        Assert.True(services.GetRequiredService<EncryptionSettings>().Enabled);
    }
}
