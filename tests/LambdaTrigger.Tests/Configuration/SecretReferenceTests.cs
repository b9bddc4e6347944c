using System.Security.Cryptography;
using System.Text.Json;
using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Runtime;
using EventProcessor.LambdaTrigger.Tests.Runtime;
using EventProcessor.LambdaTrigger.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.LambdaTrigger.Tests.Configuration;

/// <summary>Secret references (<c>…SecretArn</c>) resolved at init through a fake Parameters and Secrets extension on loopback.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SecretReferenceTests
{
    private const string TemporalArn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:event-processor/test/temporal-AbCdEf";
    private const string EncryptionArn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:event-processor/test/encryption-GhIjKl";
    private const string ApiKeyValue = "temporal-api-key-value-9d2e";
    private static readonly string KeyValue = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string> Secrets() => new()
    {
        [TemporalArn] = JsonSerializer.Serialize(new Dictionary<string, string> { ["apiKey"] = ApiKeyValue }),
        [EncryptionArn] = JsonSerializer.Serialize(new Dictionary<string, string> { ["currentKeyId"] = "2026_11", ["2026_11"] = KeyValue }),
    };

    /// <summary>What the stack sets on the Lambda: references only.</summary>
    private static Dictionary<string, string?> Settings(string temporalAddress)
    {
        var settings = RuntimeHarness.Settings(temporalAddress);
        settings.Remove("Encryption:Enabled");
        settings["Temporal:ApiKeySecretArn"] = TemporalArn;
        settings["Temporal:ApiKeySecretJsonKey"] = "apiKey";
        settings["Encryption:CurrentKeyIdSecretArn"] = EncryptionArn;
        settings["Encryption:CurrentKeyIdSecretJsonKey"] = "currentKeyId";
        settings["Encryption:Keys:2026_11SecretArn"] = EncryptionArn;
        settings["Encryption:Keys:2026_11SecretJsonKey"] = "2026_11";
        return settings;
    }

    private static IConfiguration Build(IDictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [Fact]
    public async Task References_become_the_settings_the_readers_use_each_secret_fetched_once_with_the_session_token()
    {
        using var extension = new FakeSecretsExtension(Secrets());

        var resolved = await SecretReferenceResolver.ResolveAsync(Build(Settings("temporal.example:7233")), extension.Options(), CancellationToken.None);

        Assert.Equal(ApiKeyValue, TemporalOptions.Read(resolved).ApiKey);
        Assert.Equal("2026_11", resolved["Encryption:CurrentKeyId"]);
        Assert.DoesNotContain(resolved.AsEnumerable(), kv => kv.Key.EndsWith("SecretArn", StringComparison.Ordinal) || kv.Key.EndsWith("SecretJsonKey", StringComparison.Ordinal));
        Assert.Equal([EncryptionArn, TemporalArn], extension.Requests.Select(r => r.SecretId).Order(StringComparer.Ordinal));
        Assert.All(extension.Requests, r => Assert.Equal(FakeSecretsExtension.SessionToken, r.Token));

        // The served key is the one payloads are encrypted with: a converter holding only that key reads them.
        var trigger = EventProcessorDataConverter.Create(resolved);
        var reader = EventProcessorDataConverter.Create(Build(new Dictionary<string, string?>
        {
            ["Encryption:CurrentKeyId"] = "2026_11",
            ["Encryption:Keys:2026_11"] = KeyValue,
        }));
        var encoded = await trigger.PayloadCodec!.EncodeAsync([trigger.PayloadConverter.ToPayload("hello")]);
        var decoded = await reader.PayloadCodec!.DecodeAsync(encoded);
        Assert.Equal("hello", (string?)reader.PayloadConverter.ToValue(Assert.Single(decoded), typeof(string)));
    }

    [Fact]
    public async Task Without_references_the_configuration_is_returned_as_is_and_nothing_is_asked()
    {
        using var extension = new FakeSecretsExtension(Secrets());
        var configuration = Build(RuntimeHarness.Settings("temporal.example:7233"));

        var resolved = await SecretReferenceResolver.ResolveAsync(configuration, extension.Options(), CancellationToken.None);

        Assert.Same(configuration, resolved);
        Assert.Empty(extension.Requests);
    }

    [Fact]
    public async Task A_plain_string_secret_is_used_whole_when_no_json_key_is_given()
    {
        using var extension = new FakeSecretsExtension(new Dictionary<string, string> { ["event-processor/test/plain"] = ApiKeyValue });
        var settings = RuntimeHarness.Settings("temporal.example:7233");
        settings["Temporal:ApiKeySecretArn"] = "event-processor/test/plain";

        var resolved = await SecretReferenceResolver.ResolveAsync(Build(settings), extension.Options(), CancellationToken.None);

        Assert.Equal(ApiKeyValue, resolved["Temporal:ApiKey"]);
    }

    [Fact]
    public async Task A_value_and_a_reference_for_the_same_setting_are_rejected()
    {
        using var extension = new FakeSecretsExtension(Secrets());
        var settings = Settings("temporal.example:7233");
        settings["Temporal:ApiKey"] = "direct";

        var error = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            SecretReferenceResolver.ResolveAsync(Build(settings), extension.Options(), CancellationToken.None));

        Assert.Equal("Temporal:ApiKeySecretArn", error.Setting);
        Assert.Empty(extension.Requests);
    }

    [Fact]
    public async Task A_json_key_the_secret_lacks_names_the_setting_and_no_value()
    {
        using var extension = new FakeSecretsExtension(Secrets());
        var settings = Settings("temporal.example:7233");
        settings["Encryption:Keys:2026_11SecretJsonKey"] = "2027_01";

        var error = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            SecretReferenceResolver.ResolveAsync(Build(settings), extension.Options(), CancellationToken.None));

        Assert.Equal("Encryption:Keys:2026_11SecretArn", error.Setting);
        Assert.Contains("'2027_01'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyValue, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_from_the_extension_let_init_succeed()
    {
        using var extension = new FakeSecretsExtension(Secrets());
        await using var runtime = await RuntimeHarness.StartAsync(Settings(Endpoints.ClosedPort()), new RecordingStarter(), secrets: extension.Options());

        await runtime.Api.WaitForNextCallsAsync(1);

        Assert.Empty(runtime.Api.DrainPosts());
        Assert.Equal(2, extension.Requests.Count);
    }

    public static TheoryData<string, string, string> InitFailures => new()
    {
        // What is broken, the setting the message must name, and a part of the message.
        { "missing-secret", "Temporal:ApiKeySecretArn", "HTTP 400" },
        { "extension-down", "Encryption:CurrentKeyIdSecretArn", "did not answer" },
        { "wrong-token", "Encryption:CurrentKeyIdSecretArn", "session token was refused" },
        { "no-token", "Encryption:CurrentKeyIdSecretArn", "AWS_SESSION_TOKEN is not set" },
    };

    [Theory]
    [MemberData(nameof(InitFailures))]
    public async Task An_unreadable_secret_fails_init_through_init_error_naming_the_setting(string failure, string setting, string problem)
    {
        var secrets = Secrets();
        if (failure == "missing-secret")
        {
            secrets.Remove(TemporalArn);
        }

        using var extension = new FakeSecretsExtension(secrets);
        var options = failure switch
        {
            "extension-down" => FakeSecretsExtension.Unreachable(),
            "wrong-token" => extension.Options("another-session-token"),
            "no-token" => extension.Options(null),
            _ => extension.Options(),
        };
        await using var runtime = await RuntimeHarness.StartAsync(Settings(Endpoints.ClosedPort()), new RecordingStarter(), secrets: options);

        var post = await runtime.Api.NextPostAsync();

        Assert.Equal(1, await runtime.Run.WaitAsync(FakeRuntimeApi.HangGuard));
        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Equal(RuntimeError.InvalidConfiguration, post.Header(RuntimeApiClient.ErrorTypeHeader));
        using var body = JsonDocument.Parse(post.Body);
        var message = body.RootElement.GetProperty("errorMessage").GetString()!;
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeyValue, post.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyValue, post.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSecretsExtension.SessionToken, post.Body, StringComparison.Ordinal);
        Assert.Equal(0, runtime.Api.NextCalls);
    }
}
