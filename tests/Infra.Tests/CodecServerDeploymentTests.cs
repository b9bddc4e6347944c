using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace EventProcessor.Infra.Tests;

/// <summary>
/// Two stacks with a codec server, synthesized once for this class: one on a new VPC for Temporal
/// Cloud's UI (preset, CLI token, alarm topic), one on an existing VPC behind an internal load
/// balancer for a self-hosted UI with OIDC.
/// </summary>
public sealed class CodecServerStacks : IDisposable
{
    public const string CertificateArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8899-aabbccddeeff";
    public const string TokenSecretArn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:fake/event-processor/codec-cli-AbCdEf";
    public const string FakeTokenValue = "FAKE-SECRET-VALUE-codec-cli-9d3e";

    private readonly string root;
    private readonly string? previousToken;

    public CodecServerStacks()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        // A token as a developer's shell might hold it while synthesizing: it must not reach the template.
        previousToken = System.Environment.GetEnvironmentVariable("CodecServer__Tokens__support_cli");
        System.Environment.SetEnvironmentVariable("CodecServer__Tokens__support_cli", FakeTokenValue);
        root = Directory.CreateTempSubdirectory("infra-codec-tests-").FullName;
        var codePath = Path.Combine(root, "trigger");
        Directory.CreateDirectory(codePath);
        File.WriteAllText(Path.Combine(codePath, "bootstrap"), "#!/bin/sh\n");

        CloudSettings = TestSettings.Primary(codePath) with { CodecServer = CloudCodec };
        SelfHostedSettings = TestSettings.Existing(codePath) with { CodecServer = SelfHostedCodec };
        var app = new App(new AppProps { Outdir = Path.Combine(root, "cdk.out") });
        var cloud = new EventProcessorStack(app, "CodecCloud", CloudSettings);
        var selfHosted = new EventProcessorStack(app, "CodecSelfHosted", SelfHostedSettings);
        var assembly = app.Synth();
        CloudJson = File.ReadAllText(assembly.GetStackArtifact(cloud.ArtifactId).TemplateFullPath);
        Cloud = View(CloudJson);
        SelfHosted = View(File.ReadAllText(assembly.GetStackArtifact(selfHosted.ArtifactId).TemplateFullPath));
    }

    /// <summary>Temporal Cloud's UI, a CLI token, new VPC, internet-facing from two office ranges.</summary>
    internal static CodecServerDeploymentSettings CloudCodec { get; } = new()
    {
        ImageRepository = "event-processor-codec-server",
        ImageTag = "2.0.1",
        CertificateArn = CertificateArn,
        IngressCidrs = ["203.0.113.0/24", "198.51.100.7/32"],
        AllowedOrigins = ["https://cloud.temporal.io"],
        Jwt = new() { Preset = "TemporalCloud" },
        Access = new() { AllowedEmails = ["lena.fischer@example.com"], AllowedEmailDomains = ["support.example.com"] },
        Tokens = new Dictionary<string, SecretReference> { ["support_cli"] = new() { Secret = TokenSecretArn, JsonKey = "token" } },
        ServerErrorsThreshold = 3,
    };

    /// <summary>A self-hosted UI signing in through an OIDC provider; only reachable inside the VPC.</summary>
    internal static CodecServerDeploymentSettings SelfHostedCodec { get; } = new()
    {
        ImageUri = "ghcr.io/example/event-processor-codec-server:2.0.1",
        CertificateArn = CertificateArn,
        InternetFacing = false,
        IngressCidrs = ["10.0.0.0/8"],
        AllowedOrigins = ["https://temporal-ui.example.com"],
        Jwt = new() { Authority = "https://example.okta.com/oauth2/default", Audience = "api://eventprocessor-codec" },
        Access = new() { Namespaces = ["shared", "shared-staging"], RoleClaim = "groups", AllowedRoles = ["codec-readers"] },
    };

    internal DeploymentSettings CloudSettings { get; }

    internal DeploymentSettings SelfHostedSettings { get; }

    public TemplateView Cloud { get; }

    public TemplateView SelfHosted { get; }

    public string CloudJson { get; }

    public void Dispose()
    {
        System.Environment.SetEnvironmentVariable("CodecServer__Tokens__support_cli", previousToken);
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it is not.
        }
    }

    private static TemplateView View(string json) => new(Template.FromString(json), JsonNode.Parse(json)!.AsObject());
}

public sealed class CodecServerDeploymentTests(CodecServerStacks stacks) : IClassFixture<CodecServerStacks>
{
    /// <summary>The codec server's task definition: the one whose container listens on 8080.</summary>
    private static (string Id, JsonObject Properties) CodecTask(TemplateView template) =>
        Assert.Single(template.Resources("AWS::ECS::TaskDefinition"), t => t.Properties["ContainerDefinitions"]![0]!["PortMappings"] is JsonArray { Count: > 0 });

    private static JsonObject Container(TemplateView template) => CodecTask(template).Properties["ContainerDefinitions"]![0]!.AsObject();

    private static Dictionary<string, string> Environment(TemplateView template) =>
        Container(template)["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => (string)e!["Value"]!);

    private static Dictionary<string, string> Secrets(TemplateView template) =>
        Container(template)["Secrets"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => TemplateView.Text(e!["ValueFrom"]!));

    [Fact]
    public void The_codec_server_runs_on_Fargate_with_the_configured_image_port_and_CORS_origin()
    {
        var container = Container(stacks.Cloud);
        var environment = Environment(stacks.Cloud);

        Assert.Equal(8080, (int)container["PortMappings"]![0]!["ContainerPort"]!);
        Assert.Contains("event-processor-codec-server:2.0.1", TemplateView.Text(container["Image"]!), StringComparison.Ordinal);
        Assert.Equal("8080", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("https://cloud.temporal.io", environment["CodecServer__AllowedOrigins__0"]);
        Assert.Equal("TemporalCloud", environment["CodecServer__Jwt__Preset"]);
        Assert.Equal("test-namespace", environment["CodecServer__Access__Namespaces__0"]);
        Assert.Equal("lena.fischer@example.com", environment["CodecServer__Access__AllowedEmails__0"]);
        Assert.Equal("support.example.com", environment["CodecServer__Access__AllowedEmailDomains__0"]);
        var task = CodecTask(stacks.Cloud).Properties;
        Assert.Equal("FARGATE", (string?)task["RequiresCompatibilities"]![0]);
        var service = Assert.Single(stacks.Cloud.Resources("AWS::ECS::Service"), s => TemplateView.RefId(s.Properties["TaskDefinition"]) == CodecTask(stacks.Cloud).Id).Properties;
        Assert.Equal("DISABLED", (string?)service["NetworkConfiguration"]!["AwsvpcConfiguration"]!["AssignPublicIp"]);
        Assert.True((bool)service["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!["Rollback"]!);
    }

    [Fact]
    public void The_codec_server_gets_the_workers_payload_keys_and_its_CLI_token_from_Secrets_Manager_never_as_values()
    {
        var secrets = Secrets(stacks.Cloud);
        var workerContainer = stacks.Cloud.Resources("AWS::ECS::TaskDefinition").Single(t => t.Id != CodecTask(stacks.Cloud).Id).Properties["ContainerDefinitions"]![0]!;
        var workerSecrets = workerContainer["Secrets"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => TemplateView.Text(e!["ValueFrom"]!));

        // The same secret and JSON key as the worker's, so both always hold the same keys.
        var encryption = TestSettings.WorkerSecrets.Keys.Where(k => k.StartsWith("Encryption__", StringComparison.Ordinal)).ToList();
        Assert.Equal(encryption.Append("CodecServer__Tokens__support_cli").Order(StringComparer.Ordinal), secrets.Keys.Order(StringComparer.Ordinal));
        Assert.All(encryption, key => Assert.Equal(workerSecrets[key], secrets[key]));
        Assert.Equal($"{CodecServerStacks.TokenSecretArn}:token::", secrets["CodecServer__Tokens__support_cli"]);
        Assert.DoesNotContain(Environment(stacks.Cloud).Keys, k => k.StartsWith("Encryption", StringComparison.Ordinal) || k.Contains("Tokens", StringComparison.Ordinal));
        Assert.DoesNotContain(CodecServerStacks.FakeTokenValue, stacks.CloudJson, StringComparison.Ordinal);
        Assert.All(TestSettings.FakeSecretValues.Values, value => Assert.DoesNotContain(value, stacks.CloudJson, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_codec_servers_execution_role_reads_its_secrets_and_its_task_role_has_no_permissions()
    {
        var task = CodecTask(stacks.Cloud).Properties;
        var executionRole = TemplateView.GetAttId(task["ExecutionRoleArn"]);
        var taskRole = TemplateView.GetAttId(task["TaskRoleArn"]);

        var read = stacks.Cloud.StatementsOf(executionRole)
            .Where(s => TemplateView.Actions(s).Contains("secretsmanager:GetSecretValue"))
            .SelectMany(s => TemplateView.ResourcesOf(s).Select(TemplateView.Text))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            new[] { TestSettings.SecretArn("encryption"), CodecServerStacks.TokenSecretArn }.ToHashSet(StringComparer.Ordinal),
            read);
        Assert.Empty(stacks.Cloud.StatementsOf(taskRole));
    }

    [Fact]
    public void An_HTTPS_load_balancer_with_the_certificate_admits_only_the_configured_networks_and_checks_health_on_healthz()
    {
        var balancer = stacks.Cloud.Single("AWS::ElasticLoadBalancingV2::LoadBalancer").Properties;
        var listener = stacks.Cloud.Single("AWS::ElasticLoadBalancingV2::Listener").Properties;
        var targets = stacks.Cloud.Single("AWS::ElasticLoadBalancingV2::TargetGroup").Properties;

        Assert.Equal("internet-facing", (string?)balancer["Scheme"]);
        Assert.Equal(443, (int)listener["Port"]!);
        Assert.Equal("HTTPS", (string?)listener["Protocol"]);
        Assert.Equal(CodecServerStacks.CertificateArn, (string?)listener["Certificates"]![0]!["CertificateArn"]);
        Assert.Equal("/healthz", (string?)targets["HealthCheckPath"]);
        Assert.Equal("200", (string?)targets["Matcher"]!["HttpCode"]);
        Assert.Equal(8080, (int)targets["Port"]!);

        var balancerGroup = TemplateView.GetAttId(balancer["SecurityGroups"]![0], "GroupId");
        var ingress = stacks.Cloud.Json["Resources"]![balancerGroup]!["Properties"]!["SecurityGroupIngress"]!.AsArray();
        Assert.Equal(["198.51.100.7/32", "203.0.113.0/24"], ingress.Select(r => (string)r!["CidrIp"]!).Order(StringComparer.Ordinal));
        Assert.All(ingress, r => Assert.Equal(443, (int)r!["FromPort"]!));
    }

    [Fact]
    public void An_alarm_on_5xx_answers_of_the_server_and_the_load_balancer_notifies_the_alarm_topic()
    {
        var alarm = Assert.Single(stacks.Cloud.Resources("AWS::CloudWatch::Alarm"), a => ((string?)a.Properties["AlarmDescription"])?.Contains("codec server", StringComparison.OrdinalIgnoreCase) == true).Properties;
        var metrics = alarm["Metrics"]!.AsArray();

        Assert.Equal(3, (int)alarm["Threshold"]!);
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
        Assert.Contains(metrics, m => ((string?)m!["Expression"])?.Contains("target", StringComparison.Ordinal) == true);
        var names = metrics.Where(m => m!["MetricStat"] is not null).Select(m => (string)m!["MetricStat"]!["Metric"]!["MetricName"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"], names);
        Assert.All(metrics.Where(m => m!["MetricStat"] is not null), m => Assert.Equal(900, (int)m!["MetricStat"]!["Period"]!));
        Assert.Equal(TestSettings.AlarmTopicArn, (string?)alarm["AlarmActions"]![0]);
    }

    [Fact]
    public void In_an_existing_VPC_an_internal_codec_server_gets_the_OIDC_settings_and_the_namespaces_listed()
    {
        var balancer = stacks.SelfHosted.Single("AWS::ElasticLoadBalancingV2::LoadBalancer").Properties;
        var environment = Environment(stacks.SelfHosted);

        Assert.Equal("internal", (string?)balancer["Scheme"]);
        Assert.Equal(["subnet-0fakea", "subnet-0fakeb"], balancer["Subnets"]!.AsArray().Select(s => (string)s!).Order(StringComparer.Ordinal));
        Assert.Equal("https://example.okta.com/oauth2/default", environment["CodecServer__Jwt__Authority"]);
        Assert.Equal("api://eventprocessor-codec", environment["CodecServer__Jwt__Audience"]);
        Assert.Equal("shared", environment["CodecServer__Access__Namespaces__0"]);
        Assert.Equal("shared-staging", environment["CodecServer__Access__Namespaces__1"]);
        Assert.Equal("groups", environment["CodecServer__Access__RoleClaim"]);
        Assert.Equal("codec-readers", environment["CodecServer__Access__AllowedRoles__0"]);
        Assert.Contains("ghcr.io/example/event-processor-codec-server:2.0.1", TemplateView.Text(Container(stacks.SelfHosted)["Image"]!), StringComparison.Ordinal);
        Assert.Equal(["Encryption__CurrentKeyId", "Encryption__Keys__2026_11"], Secrets(stacks.SelfHosted).Keys.Order(StringComparer.Ordinal));
        Assert.Single(stacks.SelfHosted.Template.FindOutputs("CodecServerLoadBalancerDnsName"));
    }

    [Theory]
    [InlineData("certificate", "codecServer.certificateArn must be an ACM certificate ARN")]
    [InlineData("users", "codecServer.access: with jwt set, give allowedEmails")]
    [InlineData("cidr", "codecServer.ingressCidrs: '0.0.0.0' is not an IPv4 CIDR")]
    [InlineData("origin", "codecServer.allowedOrigins: 'https://*.temporal.io/ui' must be an https origin")]
    [InlineData("preset", "codecServer.jwt.preset 'Okta' is unknown")]
    [InlineData("keys", "codecServer: the codec server takes the payload keys from worker.secrets")]
    [InlineData("subnets", "codecServer: an internet-facing codec server in an existing VPC (worker.vpcId) needs publicSubnetIds")]
    public void Wrong_codec_server_settings_are_rejected_before_synthesis(string fault, string message)
    {
        var settings = fault switch
        {
            "certificate" => stacks.CloudSettings with { CodecServer = CodecServerStacks.CloudCodec with { CertificateArn = null } },
            "users" => stacks.CloudSettings with { CodecServer = CodecServerStacks.CloudCodec with { Access = new() } },
            "cidr" => stacks.CloudSettings with { CodecServer = CodecServerStacks.CloudCodec with { IngressCidrs = ["0.0.0.0"] } },
            "origin" => stacks.CloudSettings with { CodecServer = CodecServerStacks.CloudCodec with { AllowedOrigins = ["https://*.temporal.io/ui"] } },
            "preset" => stacks.CloudSettings with { CodecServer = CodecServerStacks.CloudCodec with { Jwt = new() { Preset = "Okta" } } },
            "keys" => stacks.CloudSettings with
            {
                Worker = stacks.CloudSettings.Worker with { Secrets = new Dictionary<string, SecretReference> { ["Encryption__Enabled"] = new() { Secret = "fake/off" } } },
            },
            "subnets" => stacks.SelfHostedSettings with { CodecServer = CodecServerStacks.SelfHostedCodec with { InternetFacing = true } },
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        Assert.Contains(SettingsValidator.Validate(settings), e => e.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_certificate_and_image_tag_may_come_from_context()
    {
        var settings = SettingsLoader.ApplyOverrides(
            stacks.CloudSettings with { CodecServer = CodecServerStacks.CloudCodec with { CertificateArn = null } },
            key => key switch
            {
                SettingsLoader.CodecServerCertificateArnKey => CodecServerStacks.CertificateArn,
                SettingsLoader.CodecServerImageTagKey => "2.0.2",
                _ => null,
            },
            Path.GetTempPath());

        Assert.Equal(CodecServerStacks.CertificateArn, settings.CodecServer!.CertificateArn);
        Assert.Equal("2.0.2", settings.CodecServer.ImageTag);
        Assert.DoesNotContain(SettingsValidator.Validate(settings), e => e.StartsWith("codecServer", StringComparison.Ordinal));
    }
}
