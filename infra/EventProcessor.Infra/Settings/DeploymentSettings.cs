namespace EventProcessor.Infra;

/// <summary>
/// Everything that differs between environments. Loaded from <c>infra/environments/{env}.json</c>
/// (see <see cref="SettingsLoader"/>); only references to secrets live here, never their values.
/// </summary>
internal sealed record DeploymentSettings
{
    /// <summary>Short environment name (<c>dev</c>, <c>prod</c>); part of the stack name.</summary>
    public string EnvironmentName { get; init; } = "dev";

    /// <summary>Target account; null synthesizes an environment-agnostic stack.</summary>
    public string? Account { get; init; }

    public string? Region { get; init; }

    public BusSettings Bus { get; init; } = new();

    public TemporalSettings Temporal { get; init; } = new();

    public TriggerSettings Trigger { get; init; } = new();

    public WorkerSettings Worker { get; init; } = new();

    public AlarmSettings Alarms { get; init; } = new();

    /// <summary>The codec server for Temporal Web UI and the CLI; null: not deployed.</summary>
    public CodecServerDeploymentSettings? CodecServer { get; init; }
}

internal sealed record BusSettings
{
    public string Name { get; init; } = "event-processor";

    /// <summary>
    /// True when the platform already owns the bus (or it is <c>default</c>): the stack only adds
    /// rules to it, so deleting the stack never deletes the producers' bus.
    /// </summary>
    public bool UseExisting { get; init; }
}

internal sealed record TemporalSettings
{
    /// <summary>host:port of the Temporal frontend (Temporal Cloud or self-hosted).</summary>
    public string Address { get; init; } = "";

    public string Namespace { get; init; } = "default";

    public string TaskQueue { get; init; } = "event-processor";

    public bool Tls { get; init; }

    /// <summary>Temporal Cloud API key; both the trigger and the worker need it.</summary>
    public SecretReference? ApiKey { get; init; }
}

/// <summary>
/// A Secrets Manager secret by ARN (preferred: grants name exactly that ARN) or by name, and
/// optionally one key of its JSON value.
/// </summary>
internal sealed record SecretReference
{
    public string Secret { get; init; } = "";

    public string? JsonKey { get; init; }

    public bool IsArn => Secret.StartsWith("arn:", StringComparison.Ordinal);
}

internal sealed record TriggerSettings
{
    /// <summary>
    /// Folder of <c>dotnet publish src/LambdaTrigger -r linux-x64 --self-contained</c> (holds
    /// <c>bootstrap</c>). Null: <c>artifacts/trigger</c> under the repository root.
    /// </summary>
    public string? CodePath { get; init; }

    public int MemorySizeMb { get; init; } = 512;

    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>
    /// Caps concurrent invocations so a burst on the bus cannot overload Temporal; null leaves the
    /// account's unreserved pool.
    /// </summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>Lambda's own async retries after a failed invocation (0..2).</summary>
    public int AsyncRetryAttempts { get; init; } = 2;

    /// <summary>How long Lambda keeps an event queued for (re)invocation (60..21600 s).</summary>
    public int AsyncMaxEventAgeSeconds { get; init; } = 6 * 3600;

    /// <summary>EventBridge's retries when it cannot hand the event to Lambda (0..185).</summary>
    public int DeliveryRetryAttempts { get; init; } = 24;

    /// <summary>How long EventBridge keeps retrying delivery (60..86400 s).</summary>
    public int DeliveryMaxEventAgeSeconds { get; init; } = 24 * 3600;

    public int LogRetentionDays { get; init; } = 30;

    /// <summary>
    /// The AWS Parameters and Secrets Lambda Extension layer, through which the trigger reads its
    /// secrets at init. Layers are regional: outside us-east-1 set the ARN AWS publishes for the
    /// region (same layer name, another account). The default is the one CDK 2.160 lists for
    /// extension version 1.0.103, us-east-1, x86_64.
    /// </summary>
    public string SecretsExtensionLayerArn { get; init; } = DefaultSecretsExtensionLayerArn;

    public const string DefaultSecretsExtensionLayerArn = "arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:4";
}

internal sealed record WorkerSettings
{
    /// <summary>ECR repository (in the stack's account) holding the worker image; or use <see cref="ImageUri"/>.</summary>
    public string? ImageRepository { get; init; }

    public string ImageTag { get; init; } = "latest";

    /// <summary>Full image reference in a registry that needs no ECR grant.</summary>
    public string? ImageUri { get; init; }

    public int Cpu { get; init; } = 512;

    public int MemoryMiB { get; init; } = 1024;

    public int DesiredCount { get; init; } = 1;

    /// <summary>Existing VPC; null creates one (two AZs, one NAT gateway).</summary>
    public string? VpcId { get; init; }

    public IReadOnlyList<string> AvailabilityZones { get; init; } = [];

    /// <summary>Private subnets with egress (Temporal and the downstream APIs are outside the VPC).</summary>
    public IReadOnlyList<string> PrivateSubnetIds { get; init; } = [];

    /// <summary>Configuration key in .NET form (<c>Jira__ApiToken</c>) to the secret holding it.</summary>
    public IReadOnlyDictionary<string, SecretReference> Secrets { get; init; } = new Dictionary<string, SecretReference>();

    /// <summary>Configuration key to SSM parameter name (String or SecureString).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Non-secret configuration given in plain text; secret-looking keys are rejected.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Time a stopping task gets to finish its activities before SIGKILL (max 120).</summary>
    public int StopTimeoutSeconds { get; init; } = 120;

    public int LogRetentionDays { get; init; } = 30;
}

internal sealed record AlarmSettings
{
    /// <summary>Messages visible in either dead-letter queue that raise the alarm.</summary>
    public int DeadLetterQueueDepthThreshold { get; init; } = 1;

    /// <summary>Trigger errors per period that raise the alarm (poison events count too).</summary>
    public int LambdaErrorsThreshold { get; init; } = 5;

    public int PeriodMinutes { get; init; } = 5;

    /// <summary>SNS topic notified on alarm and recovery; null leaves the alarms without actions.</summary>
    public string? TopicArn { get; init; }
}
