using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace EventProcessor.Infra;

/// <summary>
/// The codec server (src/CodecServer) for Temporal Web UI and the CLI: a Fargate service in the
/// worker's cluster and private subnets, behind an application load balancer that terminates
/// HTTPS with the environment's certificate and admits only <c>codecServer.ingressCidrs</c>. It
/// reads the payload keys exactly as the worker does (the worker's <c>Encryption__*</c> secrets,
/// injected by ECS with this service's own execution role) and its CLI tokens from Secrets
/// Manager; its CORS origins, JWT check and access rules are plain configuration. One alarm
/// watches 5xx answers of the server and of the load balancer (no healthy task, keys unreachable).
/// </summary>
internal sealed class CodecServerService : Construct
{
    public const int ContainerPort = 8080;
    public const string HealthCheckPath = "/healthz";

    public CodecServerService(Construct scope, string id, DeploymentSettings settings, ICluster cluster)
        : base(scope, id)
    {
        var codec = settings.CodecServer ?? throw new ArgumentException("codecServer is not configured.", nameof(settings));
        var vpc = cluster.Vpc;

        TaskRole = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "Event processor codec server at run time; deliberately without permissions.",
        });
        ExecutionRole = new Role(this, "ExecutionRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "Starts the codec server: pulls its image, writes its logs, reads the payload keys and CLI tokens.",
        });

        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = codec.Cpu,
            MemoryLimitMiB = codec.MemoryMiB,
            TaskRole = TaskRole,
            ExecutionRole = ExecutionRole,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = CpuArchitecture.X86_64,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
        });
        var container = task.AddContainer("CodecServer", new ContainerDefinitionOptions
        {
            Image = Image(codec),
            Environment = CodecServerConfiguration.Environment(settings),
            Secrets = Secrets(settings),
            PortMappings = [new PortMapping { ContainerPort = ContainerPort, Protocol = Amazon.CDK.AWS.ECS.Protocol.TCP }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "codec-server",
                LogGroup = new LogGroup(this, "Logs", new LogGroupProps
                {
                    Retention = Retention.Days(codec.LogRetentionDays),
                    RemovalPolicy = RemovalPolicy.DESTROY,
                }),
            }),
            Essential = true,
        });

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = cluster,
            TaskDefinition = task,
            DesiredCount = codec.DesiredCount,
            AssignPublicIp = false,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            MinHealthyPercent = 100,
            MaxHealthyPercent = 200,
        });

        // Only the listed networks reach the load balancer, and only on 443.
        var loadBalancerGroup = new SecurityGroup(this, "LoadBalancerSecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc,
            AllowAllOutbound = false,
            Description = "Codec server load balancer: HTTPS from codecServer.ingressCidrs",
        });
        foreach (var cidr in codec.IngressCidrs)
        {
            loadBalancerGroup.AddIngressRule(Peer.Ipv4(cidr), Port.Tcp(443), "HTTPS to the codec server");
        }

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = codec.InternetFacing,
            SecurityGroup = loadBalancerGroup,
            VpcSubnets = LoadBalancerSubnets(codec, settings.Worker),
            DropInvalidHeaderFields = true,
        });
        var listener = LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
        {
            Port = 443,
            Protocol = ApplicationProtocol.HTTPS,
            Certificates = [ListenerCertificate.FromArn(codec.CertificateArn!)],
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            Open = false,
        });
        TargetGroup = listener.AddTargets("CodecServer", new AddApplicationTargetsProps
        {
            Port = ContainerPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [Service.LoadBalancerTarget(new LoadBalancerTargetOptions { ContainerName = container.ContainerName, ContainerPort = ContainerPort })],
            HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck
            {
                Path = HealthCheckPath,
                HealthyHttpCodes = "200",
                Interval = Duration.Seconds(30),
                HealthyThresholdCount = 2,
                UnhealthyThresholdCount = 3,
            },
            DeregistrationDelay = Duration.Seconds(30),
        });

        ServerErrorsAlarm = ServerErrors(settings, codec);
    }

    public Role TaskRole { get; }

    public Role ExecutionRole { get; }

    public FargateService Service { get; }

    public ApplicationLoadBalancer LoadBalancer { get; }

    public ApplicationTargetGroup TargetGroup { get; }

    public Alarm ServerErrorsAlarm { get; }

    private Alarm ServerErrors(DeploymentSettings settings, CodecServerDeploymentSettings codec)
    {
        var period = Duration.Minutes(settings.Alarms.PeriodMinutes);
        var options = new MetricOptions { Period = period, Statistic = Stats.SUM };
        var alarm = new Alarm(this, "ServerErrors", new AlarmProps
        {
            AlarmDescription = "The codec server or its load balancer answered 5xx: support staff cannot read runs (no healthy task, identity provider's keys unreachable, or a server fault); see the codec server's logs.",
            Metric = new MathExpression(new MathExpressionProps
            {
                Expression = "FILL(target, 0) + FILL(balancer, 0)",
                UsingMetrics = new Dictionary<string, IMetric>
                {
                    ["target"] = TargetGroup.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, options),
                    ["balancer"] = LoadBalancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, options),
                },
                Label = "Codec server 5xx answers",
                Period = period,
            }),
            Threshold = codec.ServerErrorsThreshold,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        if (settings.Alarms.TopicArn is { } topicArn)
        {
            var action = new SnsAction(Topic.FromTopicArn(this, "AlarmTopic", topicArn));
            alarm.AddAlarmAction(action);
            alarm.AddOkAction(action);
        }

        return alarm;
    }

    private SubnetSelection LoadBalancerSubnets(CodecServerDeploymentSettings codec, WorkerSettings worker)
    {
        if (!codec.InternetFacing)
        {
            return new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS };
        }

        return worker.VpcId is null
            ? new SubnetSelection { SubnetType = SubnetType.PUBLIC }
            : new SubnetSelection { Subnets = [.. codec.PublicSubnetIds.Select((subnet, i) => Subnet.FromSubnetId(this, $"PublicSubnet{i}", subnet))] };
    }

    /// <summary>The payload keys from the worker's secrets (same secret, same JSON keys), and the CLI tokens.</summary>
    private Dictionary<string, EcsSecret> Secrets(DeploymentSettings settings)
    {
        var secrets = new Dictionary<string, EcsSecret>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (key, reference) in CodecServerConfiguration.EncryptionSecrets(settings))
        {
            secrets[key] = FromSecretsManager(reference, index++);
        }

        foreach (var (name, reference) in settings.CodecServer!.Tokens.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            secrets[$"{CodecServerConfiguration.TokensPrefix}{name}"] = FromSecretsManager(reference, index++);
        }

        return secrets;
    }

    private EcsSecret FromSecretsManager(SecretReference reference, int index)
    {
        var secret = SecretReferences.Resolve(this, $"Secret{index}", reference);
        return reference.JsonKey is null ? EcsSecret.FromSecretsManager(secret) : EcsSecret.FromSecretsManager(secret, reference.JsonKey);
    }

    private ContainerImage Image(CodecServerDeploymentSettings codec) =>
        codec.ImageUri is { } uri
            ? ContainerImage.FromRegistry(uri)
            : ContainerImage.FromEcrRepository(Repository.FromRepositoryName(this, "Repository", codec.ImageRepository!), codec.ImageTag);
}

/// <summary>The codec server's configuration keys, in the <c>Section__Key</c> form .NET reads from environment variables.</summary>
internal static class CodecServerConfiguration
{
    public const string TokensPrefix = "CodecServer__Tokens__";

    /// <summary>The worker's <c>Encryption__*</c> secrets: the codec server must hold exactly the keys the worker encrypts with.</summary>
    public static IEnumerable<KeyValuePair<string, SecretReference>> EncryptionSecrets(DeploymentSettings settings) =>
        settings.Worker.Secrets
            .Where(pair => pair.Key.StartsWith(WorkerConfiguration.EncryptionPrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal);

    public static Dictionary<string, string> Environment(DeploymentSettings settings)
    {
        var codec = settings.CodecServer!;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_HTTP_PORTS"] = CodecServerService.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        void List(string prefix, IReadOnlyList<string> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                environment[$"{prefix}__{i}"] = values[i];
            }
        }

        void Value(string key, string? value)
        {
            if (value is not null)
            {
                environment[key] = value;
            }
        }

        List("CodecServer__AllowedOrigins", codec.AllowedOrigins);
        Value("CodecServer__Jwt__Preset", codec.Jwt.Preset);
        Value("CodecServer__Jwt__JwksUrl", codec.Jwt.JwksUrl);
        Value("CodecServer__Jwt__Authority", codec.Jwt.Authority);
        Value("CodecServer__Jwt__Issuer", codec.Jwt.Issuer);
        Value("CodecServer__Jwt__Audience", codec.Jwt.Audience);
        List("CodecServer__Access__Namespaces", codec.Access.Namespaces.Count > 0 ? codec.Access.Namespaces : [settings.Temporal.Namespace]);
        List("CodecServer__Access__AllowedEmails", codec.Access.AllowedEmails);
        List("CodecServer__Access__AllowedEmailDomains", codec.Access.AllowedEmailDomains);
        Value("CodecServer__Access__RoleClaim", codec.Access.RoleClaim);
        List("CodecServer__Access__AllowedRoles", codec.Access.AllowedRoles);
        return environment;
    }
}
