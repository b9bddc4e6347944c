namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class ShippedEnvironmentTests(SynthesizedStacks stacks)
{
    public static TheoryData<string> Environments() => [.. SynthesizedStacks.ShippedEnvironments];

    [Theory]
    [MemberData(nameof(Environments))]
    public void Each_shipped_environment_routes_every_catalog_rule_with_both_dead_letter_queues(string environment)
    {
        var template = stacks.Shipped[environment];

        Assert.Equal(RulePlan.FromCatalog().Count, template.Resources("AWS::Events::Rule").Count);
        Assert.All(template.Resources("AWS::Events::Rule"), r => Assert.NotNull(r.Properties["Targets"]![0]!["DeadLetterConfig"]));
        Assert.NotNull(template.Single("AWS::Lambda::EventInvokeConfig").Properties["DestinationConfig"]!["OnFailure"]);
        Assert.Equal(4, template.Resources("AWS::CloudWatch::Alarm").Count);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Each_shipped_environment_gives_the_worker_all_its_secrets_through_secrets_manager(string environment)
    {
        var settings = stacks.ShippedSettings[environment];
        var template = stacks.Shipped[environment];
        var container = Assert.Single(template.Single("AWS::ECS::TaskDefinition").Properties["ContainerDefinitions"]!.AsArray())!;

        var expected = settings.Worker.Secrets.Keys.Concat(settings.Worker.Parameters.Keys);
        if (settings.Temporal.ApiKey is not null)
        {
            expected = expected.Append("Temporal__ApiKey");
        }

        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            container["Secrets"]!.AsArray().Select(s => (string)s!["Name"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(
            container["Environment"]!.AsArray().Select(e => (string)e!["Name"]!),
            WorkerConfiguration.LooksSecret);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Each_shipped_environment_gives_the_trigger_references_to_every_secret_it_needs_at_init(string environment)
    {
        var settings = stacks.ShippedSettings[environment];
        var function = stacks.Shipped[environment].Single("AWS::Lambda::Function").Properties;
        var variables = function["Environment"]!["Variables"]!.AsObject();

        // The trigger fails init without the current key id and its key, and without the API key Temporal Cloud needs.
        Assert.Contains("Encryption__CurrentKeyIdSecretArn", variables.Select(v => v.Key));
        Assert.Contains(variables, v => v.Key.StartsWith("Encryption__Keys__", StringComparison.Ordinal) && v.Key.EndsWith("SecretArn", StringComparison.Ordinal));
        Assert.Equal(settings.Temporal.ApiKey is not null, variables.ContainsKey("Temporal__ApiKeySecretArn"));
        Assert.DoesNotContain(variables, v => v.Key.StartsWith("Encryption__", StringComparison.Ordinal) && !v.Key.EndsWith("SecretArn", StringComparison.Ordinal) && !v.Key.EndsWith("SecretJsonKey", StringComparison.Ordinal));
        Assert.Equal(settings.Trigger.SecretsExtensionLayerArn, (string?)Assert.Single(function["Layers"]!.AsArray()));
    }

    [Fact]
    public void Production_adds_rules_to_the_platforms_bus_without_owning_it()
    {
        Assert.True(stacks.ShippedSettings["prod"].Bus.UseExisting);
        Assert.Empty(stacks.Shipped["prod"].Resources("AWS::Events::EventBus"));
        Assert.Single(stacks.Shipped["dev"].Resources("AWS::Events::EventBus"));
    }
}
