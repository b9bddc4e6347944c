using System.Text.Json.Nodes;

namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class WorkerTests(SynthesizedStacks stacks)
{
    private static readonly string[] SecretReadActions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];

    private static JsonObject Container(TemplateView template) =>
        Assert.Single(template.Single("AWS::ECS::TaskDefinition").Properties["ContainerDefinitions"]!.AsArray())!.AsObject();

    private static Dictionary<string, JsonNode> Secrets(TemplateView template) =>
        Container(template)["Secrets"]!.AsArray().ToDictionary(s => (string)s!["Name"]!, s => s!["ValueFrom"]!);

    private static Dictionary<string, string> Environment(TemplateView template) =>
        Container(template)["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => (string)e!["Value"]!);

    [Fact]
    public void No_secret_value_appears_in_either_template()
    {
        foreach (var json in new[] { stacks.PrimaryJson, stacks.ExistingJson })
        {
            Assert.All(TestSettings.FakeSecretValues.Values, value => Assert.DoesNotContain(value, json, StringComparison.Ordinal));
            Assert.DoesNotContain("FAKE-SECRET-VALUE", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_secret_reaches_the_worker_from_secrets_manager_by_arn_and_none_as_plain_environment()
    {
        var secrets = Secrets(stacks.Primary);

        Assert.Equal($"{TestSettings.TemporalApiKey.Secret}:apiKey::", TemplateView.Text(secrets["Temporal__ApiKey"]));
        foreach (var (key, reference) in TestSettings.WorkerSecrets)
        {
            var expected = reference.JsonKey is null ? reference.Secret : $"{reference.Secret}:{reference.JsonKey}::";
            Assert.Equal(expected, TemplateView.Text(secrets[key]));
        }

        var environment = Environment(stacks.Primary);
        Assert.All(TestSettings.FakeSecretValues.Keys, key => Assert.DoesNotContain(key, environment.Keys));
        Assert.DoesNotContain(environment.Keys, WorkerConfiguration.LooksSecret);
    }

    [Fact]
    public void Non_secret_settings_come_from_ssm_parameters_and_plain_environment()
    {
        var secrets = Secrets(stacks.Primary);
        foreach (var (key, name) in TestSettings.WorkerParameters)
        {
            Assert.EndsWith($":parameter{name}", TemplateView.Text(secrets[key]), StringComparison.Ordinal);
        }

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Algolia__IndexName"] = "projects_test",
                ["Smtp__Port"] = "587",
                ["Temporal__Address"] = "temporal.test.internal:7233",
                ["Temporal__Namespace"] = "test-namespace",
                ["Temporal__TaskQueue"] = "test-queue",
                ["Temporal__Tls"] = "true",
            },
            Environment(stacks.Primary));
    }

    [Fact]
    public void The_role_that_reads_the_workers_secrets_reads_exactly_its_own_by_arn()
    {
        var task = stacks.Primary.Single("AWS::ECS::TaskDefinition").Properties;
        var statements = stacks.Primary.StatementsOf(TemplateView.GetAttId(task["ExecutionRoleArn"]));

        var secretStatements = statements.Where(s => TemplateView.Actions(s).Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal))).ToList();
        Assert.All(secretStatements, s => Assert.Equal(SecretReadActions, TemplateView.Actions(s)));
        var readable = secretStatements.SelectMany(TemplateView.ResourcesOf).Select(TemplateView.Text).Order(StringComparer.Ordinal);

        var own = TestSettings.WorkerSecrets.Values.Append(TestSettings.TemporalApiKey).Select(r => r.Secret).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(own, readable);
    }

    [Fact]
    public void The_execution_role_reads_exactly_the_workers_ssm_parameters()
    {
        var task = stacks.Primary.Single("AWS::ECS::TaskDefinition").Properties;
        var statements = stacks.Primary.StatementsOf(TemplateView.GetAttId(task["ExecutionRoleArn"]));

        var readable = statements
            .Where(s => TemplateView.Actions(s).Any(a => a.StartsWith("ssm:", StringComparison.Ordinal)))
            .SelectMany(TemplateView.ResourcesOf)
            .Select(r => TemplateView.Text(r)[(TemplateView.Text(r).IndexOf(":parameter", StringComparison.Ordinal) + ":parameter".Length)..])
            .Order(StringComparer.Ordinal);

        Assert.Equal(TestSettings.WorkerParameters.Values.Order(StringComparer.Ordinal), readable);
    }

    [Fact]
    public void The_task_role_the_application_runs_as_has_no_permissions_at_all()
    {
        var task = stacks.Primary.Single("AWS::ECS::TaskDefinition").Properties;
        var taskRoleId = TemplateView.GetAttId(task["TaskRoleArn"]);

        Assert.NotEqual(TemplateView.GetAttId(task["ExecutionRoleArn"]), taskRoleId);
        Assert.Empty(stacks.Primary.StatementsOf(taskRoleId));
        Assert.Null(stacks.Primary.Json["Resources"]![taskRoleId]!["Properties"]!["ManagedPolicyArns"]);
    }

    [Fact]
    public void No_role_in_either_stack_may_read_any_secret_by_wildcard()
    {
        foreach (var template in new[] { stacks.Primary, stacks.Existing })
        {
            foreach (var (roleId, _) in template.Resources("AWS::IAM::Role"))
            {
                var secretResources = template.StatementsOf(roleId)
                    .Where(s => TemplateView.Actions(s).Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal) || a == "*"))
                    .SelectMany(TemplateView.ResourcesOf)
                    .Select(TemplateView.Text);
                Assert.All(secretResources, r => Assert.Contains(":secret:", r, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void A_secret_given_by_name_is_granted_by_that_name_and_its_random_suffix_only()
    {
        var task = stacks.Existing.Single("AWS::ECS::TaskDefinition").Properties;
        var statements = stacks.Existing.StatementsOf(TemplateView.GetAttId(task["ExecutionRoleArn"]));

        var resources = statements
            .Where(s => TemplateView.Actions(s).Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal)))
            .SelectMany(TemplateView.ResourcesOf)
            .Select(TemplateView.Text)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Collection(
            resources,
            r => Assert.EndsWith(":secret:fake/shared/encryption-??????", r, StringComparison.Ordinal),
            r => Assert.EndsWith(":secret:fake/shared/jira-??????", r, StringComparison.Ordinal));
    }

    [Fact]
    public void The_worker_runs_on_fargate_in_private_subnets_with_the_configured_size_and_image()
    {
        var worker = stacks.PrimarySettings.Worker;
        var task = stacks.Primary.Single("AWS::ECS::TaskDefinition").Properties;
        Assert.Equal(worker.Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)task["Cpu"]);
        Assert.Equal(worker.MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)task["Memory"]);
        Assert.Equal(["FARGATE"], task["RequiresCompatibilities"]!.AsArray().Select(n => (string)n!));
        Assert.EndsWith("/event-processor-worker:1.2.3", TemplateView.Text(Container(stacks.Primary)["Image"]!), StringComparison.Ordinal);

        var service = stacks.Primary.Single("AWS::ECS::Service").Properties;
        Assert.Equal("FARGATE", (string?)service["LaunchType"]);
        Assert.Equal(worker.DesiredCount, (int)service["DesiredCount"]!);
        var network = service["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal("DISABLED", (string?)network["AssignPublicIp"]);
        Assert.All(network["Subnets"]!.AsArray(), s => Assert.Contains("Private", TemplateView.RefId(s), StringComparison.Ordinal));
        Assert.True((bool)service["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!["Rollback"]!);
    }

    [Fact]
    public void The_worker_accepts_no_inbound_traffic()
    {
        Assert.All(
            stacks.Primary.Resources("AWS::EC2::SecurityGroup"),
            sg => Assert.Null(sg.Properties["SecurityGroupIngress"]));
        Assert.Empty(stacks.Primary.Resources("AWS::EC2::SecurityGroupIngress"));
    }

    [Fact]
    public void In_an_existing_vpc_the_worker_uses_the_given_subnets_and_image()
    {
        var network = stacks.Existing.Single("AWS::ECS::Service").Properties["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal(["subnet-0fakea", "subnet-0fakeb"], network["Subnets"]!.AsArray().Select(n => (string)n!));
        Assert.Empty(stacks.Existing.Resources("AWS::EC2::VPC"));
        Assert.Equal("ghcr.io/example/event-processor-worker:1.2.3", (string?)Container(stacks.Existing)["Image"]);
    }
}
