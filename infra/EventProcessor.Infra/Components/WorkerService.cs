using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace EventProcessor.Infra;

/// <summary>
/// The Temporal worker as a Fargate service. It only polls Temporal and calls APIs, so it runs in
/// private subnets with no load balancer and no inbound rule.
/// </summary>
internal sealed class WorkerService : Construct
{
    public WorkerService(Construct scope, string id, WorkerSettings worker, TemporalSettings temporal, WorkerAccess access)
        : base(scope, id)
    {
        var vpc = worker.VpcId is null
            ? new Vpc(this, "Vpc", new VpcProps { MaxAzs = 2, NatGateways = 1 })
            : Vpc.FromVpcAttributes(this, "Vpc", new VpcAttributes
            {
                VpcId = worker.VpcId,
                AvailabilityZones = [.. worker.AvailabilityZones],
                PrivateSubnetIds = [.. worker.PrivateSubnetIds],
            });

        var cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = vpc,
            ContainerInsights = true,
        });

        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = worker.Cpu,
            MemoryLimitMiB = worker.MemoryMiB,
            TaskRole = access.TaskRole,
            ExecutionRole = access.ExecutionRole,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = CpuArchitecture.X86_64,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
        });

        var environment = new Dictionary<string, string>(worker.Environment, StringComparer.Ordinal)
        {
            [WorkerConfiguration.TemporalAddress] = temporal.Address,
            [WorkerConfiguration.TemporalNamespace] = temporal.Namespace,
            [WorkerConfiguration.TemporalTaskQueue] = temporal.TaskQueue,
            [WorkerConfiguration.TemporalTls] = temporal.Tls ? "true" : "false",
        };

        task.AddContainer("Worker", new ContainerDefinitionOptions
        {
            Image = Image(worker),
            Environment = environment,
            Secrets = access.ContainerSecrets.ToDictionary(),
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "worker",
                LogGroup = new LogGroup(this, "Logs", new LogGroupProps
                {
                    Retention = Retention.Days(worker.LogRetentionDays),
                    RemovalPolicy = RemovalPolicy.DESTROY,
                }),
            }),
            // A Temporal worker drains its running activities on SIGTERM; give it the time to.
            StopTimeout = Duration.Seconds(worker.StopTimeoutSeconds),
            Essential = true,
        });

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = cluster,
            TaskDefinition = task,
            DesiredCount = worker.DesiredCount,
            AssignPublicIp = false,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            // A bad image rolls back instead of leaving the queue without workers.
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            MinHealthyPercent = 100,
            MaxHealthyPercent = 200,
        });
    }

    public FargateService Service { get; }

    private ContainerImage Image(WorkerSettings worker) =>
        worker.ImageUri is { } uri
            ? ContainerImage.FromRegistry(uri)
            : ContainerImage.FromEcrRepository(Repository.FromRepositoryName(this, "Repository", worker.ImageRepository!), worker.ImageTag);
}
