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
    public void Without_an_api_key_the_trigger_gets_no_secret_reference_and_no_secret_grant()
    {
        var function = stacks.Existing.Single("AWS::Lambda::Function").Properties;
        Assert.False(function["Environment"]!["Variables"]!.AsObject().ContainsKey("Temporal__ApiKeySecretArn"));

        var statements = stacks.Existing.StatementsOf(TemplateView.GetAttId(function["Role"]));
        Assert.DoesNotContain(statements, s => TemplateView.Actions(s).Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal)));
    }

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
