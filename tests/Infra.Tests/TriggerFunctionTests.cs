namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class TriggerFunctionTests(SynthesizedStacks stacks)
{
    [Fact]
    public void The_trigger_is_a_custom_runtime_function_sized_from_the_settings()
    {
        var trigger = stacks.PrimarySettings.Trigger;
        var function = stacks.Primary.Single("AWS::Lambda::Function").Properties;

        Assert.Equal("provided.al2023", (string?)function["Runtime"]);
        Assert.Equal("bootstrap", (string?)function["Handler"]);
        Assert.Equal("x86_64", (string?)Assert.Single(function["Architectures"]!.AsArray()));
        Assert.Equal(trigger.MemorySizeMb, (int)function["MemorySize"]!);
        Assert.Equal(trigger.TimeoutSeconds, (int)function["Timeout"]!);
        Assert.Equal(trigger.ReservedConcurrency, (int)function["ReservedConcurrentExecutions"]!);
    }

    [Fact]
    public void The_trigger_gets_the_temporal_connection_and_only_the_arn_of_its_api_key()
    {
        var variables = stacks.Primary.Single("AWS::Lambda::Function").Properties["Environment"]!["Variables"]!.AsObject();

        Assert.Equal("temporal.test.internal:7233", (string?)variables["Temporal__Address"]);
        Assert.Equal("test-namespace", (string?)variables["Temporal__Namespace"]);
        Assert.Equal("test-queue", (string?)variables["Temporal__TaskQueue"]);
        Assert.Equal("true", (string?)variables["Temporal__Tls"]);
        Assert.Equal(TestSettings.TemporalApiKey.Secret, (string?)variables["Temporal__ApiKeySecretArn"]);
        Assert.Equal(TestSettings.TemporalApiKey.JsonKey, (string?)variables["Temporal__ApiKeySecretJsonKey"]);
        Assert.False(variables.ContainsKey("Temporal__ApiKey"));
    }

    [Fact]
    public void Without_an_api_key_the_trigger_gets_no_api_key_reference_but_still_its_encryption_key()
    {
        var function = stacks.Existing.Single("AWS::Lambda::Function").Properties;
        var variables = function["Environment"]!["Variables"]!.AsObject();
        Assert.False(variables.ContainsKey("Temporal__ApiKeySecretArn"));
        Assert.False(variables.ContainsKey("Temporal__ApiKeySecretJsonKey"));

        // Given by name, the secret is passed by name and granted as name-?????? only.
        Assert.Equal("fake/shared/encryption", (string?)variables["Encryption__Keys__2026_11SecretArn"]);
        var resources = TriggerSecretGrants(stacks.Existing);
        Assert.EndsWith(":secret:fake/shared/encryption-??????", Assert.Single(resources), StringComparison.Ordinal);
    }

    [Fact]
    public void The_trigger_gets_its_encryption_key_as_secret_references_and_never_as_a_value()
    {
        var variables = stacks.Primary.Single("AWS::Lambda::Function").Properties["Environment"]!["Variables"]!.AsObject();

        Assert.Equal(TestSettings.SecretArn("encryption"), (string?)variables["Encryption__CurrentKeyIdSecretArn"]);
        Assert.Equal("currentKeyId", (string?)variables["Encryption__CurrentKeyIdSecretJsonKey"]);
        Assert.Equal(TestSettings.SecretArn("encryption"), (string?)variables["Encryption__Keys__0SecretArn"]);
        Assert.Equal("0", (string?)variables["Encryption__Keys__0SecretJsonKey"]);

        // Apart from the Temporal connection and these references, nothing: no plain key, key id or enabled flag.
        var expected = new[]
        {
            "Temporal__Address", "Temporal__Namespace", "Temporal__TaskQueue", "Temporal__Tls",
            "Temporal__ApiKeySecretArn", "Temporal__ApiKeySecretJsonKey",
            "Encryption__CurrentKeyIdSecretArn", "Encryption__CurrentKeyIdSecretJsonKey",
            "Encryption__Keys__0SecretArn", "Encryption__Keys__0SecretJsonKey",
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), variables.Select(v => v.Key).Order(StringComparer.Ordinal));
        var referenced = TestSettings.WorkerSecrets.Values.Append(TestSettings.TemporalApiKey).Select(r => r.Secret).ToHashSet(StringComparer.Ordinal);
        Assert.All(variables.Where(v => v.Key.EndsWith("SecretArn", StringComparison.Ordinal)), v => Assert.Contains((string)v.Value!, referenced));
    }

    [Fact]
    public void The_trigger_has_the_parameters_and_secrets_extension_layer_from_the_settings()
    {
        var primary = stacks.Primary.Single("AWS::Lambda::Function").Properties["Layers"]!.AsArray();
        var existing = stacks.Existing.Single("AWS::Lambda::Function").Properties["Layers"]!.AsArray();

        Assert.Equal(TestSettings.SecretsExtensionLayerArn, (string?)Assert.Single(primary));
        Assert.Equal(TriggerSettings.DefaultSecretsExtensionLayerArn, (string?)Assert.Single(existing));
        Assert.Matches("^arn:aws:lambda:us-east-1:[0-9]{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension:[0-9]+$", TriggerSettings.DefaultSecretsExtensionLayerArn);
    }

    [Fact]
    public void The_trigger_may_get_the_value_of_exactly_its_own_secrets_and_do_nothing_else_with_them()
    {
        var statements = SecretStatements(stacks.Primary);

        Assert.All(statements, s => Assert.Equal(["secretsmanager:GetSecretValue"], TemplateView.Actions(s)));
        Assert.Equal(
            new[] { TestSettings.SecretArn("encryption"), TestSettings.TemporalApiKey.Secret }.Order(StringComparer.Ordinal),
            TriggerSecretGrants(stacks.Primary).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_layer_from_another_region_than_the_stack_is_rejected()
    {
        var settings = TestSettings.Existing(Path.GetTempPath()) with { Region = "eu-west-1" };

        var errors = SettingsValidator.Validate(settings);

        Assert.Contains(errors, e => e.StartsWith("trigger.secretsExtensionLayerArn is in region 'us-east-1'", StringComparison.Ordinal));
        Assert.Empty(SettingsValidator.Validate(settings with { Trigger = settings.Trigger with { SecretsExtensionLayerArn = TestSettings.SecretsExtensionLayerArn } }));
    }

    private static List<System.Text.Json.Nodes.JsonObject> SecretStatements(TemplateView template)
    {
        var function = template.Single("AWS::Lambda::Function").Properties;
        return template.StatementsOf(TemplateView.GetAttId(function["Role"]))
            .Where(s => TemplateView.Actions(s).Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal)))
            .ToList();
    }

    private static List<string> TriggerSecretGrants(TemplateView template) =>
        SecretStatements(template).SelectMany(TemplateView.ResourcesOf).Select(TemplateView.Text).ToList();

    [Fact]
    public void The_trigger_code_comes_from_the_publish_folder_as_an_asset()
    {
        var code = stacks.Primary.Single("AWS::Lambda::Function").Properties["Code"]!;
        Assert.EndsWith(".zip", (string?)code["S3Key"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_publish_folder_without_bootstrap_is_rejected_with_the_command_that_makes_one()
    {
        var empty = Directory.CreateTempSubdirectory("infra-tests-empty-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => TriggerCode.Locate(empty));
            Assert.Contains("dotnet publish src/LambdaTrigger", error.Message, StringComparison.Ordinal);
            Assert.Contains(empty, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
