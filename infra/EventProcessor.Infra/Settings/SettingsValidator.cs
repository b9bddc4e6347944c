using System.Text.RegularExpressions;

namespace EventProcessor.Infra;

/// <summary>
/// Rejects settings that would synthesize but fail at deploy time (or, worse, deploy and leak a
/// secret), with every problem listed at once.
/// </summary>
internal static partial class SettingsValidator
{
    /// <summary>CloudWatch Logs accepts only these retention periods.</summary>
    internal static readonly IReadOnlySet<int> LogRetentionDays =
        new HashSet<int> { 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653 };

    /// <summary>Fargate's CPU units and the memory sizes (MiB) each allows.</summary>
    private static readonly Dictionary<int, (int Min, int Max, int Step)> FargateMemory = new()
    {
        [256] = (512, 2048, 512),
        [512] = (1024, 4096, 1024),
        [1024] = (2048, 8192, 1024),
        [2048] = (4096, 16384, 1024),
        [4096] = (8192, 30720, 1024),
    };

    private static readonly int[] AlarmPeriods = [1, 5, 10, 15, 30, 60];

    public static void ThrowIfInvalid(DeploymentSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"Settings of environment '{settings.EnvironmentName}' are invalid:{System.Environment.NewLine}- "
                + string.Join($"{System.Environment.NewLine}- ", errors));
        }
    }

    public static IReadOnlyList<string> Validate(DeploymentSettings s)
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Check(EnvironmentNamePattern().IsMatch(s.EnvironmentName), $"environmentName '{s.EnvironmentName}' must be lower-case letters, digits and '-'");
        Check(!string.IsNullOrWhiteSpace(s.Bus.Name), "bus.name is required");

        Check(AddressPattern().IsMatch(s.Temporal.Address), $"temporal.address '{s.Temporal.Address}' must be host:port");
        Check(!string.IsNullOrWhiteSpace(s.Temporal.Namespace), "temporal.namespace is required");
        Check(!string.IsNullOrWhiteSpace(s.Temporal.TaskQueue), "temporal.taskQueue is required");
        if (s.Temporal.ApiKey is { } apiKey)
        {
            Check(!string.IsNullOrWhiteSpace(apiKey.Secret), "temporal.apiKey.secret is required when temporal.apiKey is set");
        }

        var t = s.Trigger;
        Check(t.MemorySizeMb is >= 128 and <= 10240, "trigger.memorySizeMb must be 128..10240");
        Check(t.TimeoutSeconds is >= 1 and <= 900, "trigger.timeoutSeconds must be 1..900");
        Check(t.ReservedConcurrency is null or >= 1, "trigger.reservedConcurrency must be at least 1 (0 would stop the trigger)");
        Check(t.AsyncRetryAttempts is >= 0 and <= 2, "trigger.asyncRetryAttempts must be 0..2");
        Check(t.AsyncMaxEventAgeSeconds is >= 60 and <= 21600, "trigger.asyncMaxEventAgeSeconds must be 60..21600");
        Check(t.DeliveryRetryAttempts is >= 0 and <= 185, "trigger.deliveryRetryAttempts must be 0..185");
        Check(t.DeliveryMaxEventAgeSeconds is >= 60 and <= 86400, "trigger.deliveryMaxEventAgeSeconds must be 60..86400");
        Check(LogRetentionDays.Contains(t.LogRetentionDays), $"trigger.logRetentionDays {t.LogRetentionDays} is not a CloudWatch Logs retention period");
        var layer = LayerArnPattern().Match(t.SecretsExtensionLayerArn ?? string.Empty);
        Check(layer.Success, $"trigger.secretsExtensionLayerArn '{t.SecretsExtensionLayerArn}' must be a layer version ARN (arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION)");
        // A function can only use layers of its own region; caught here rather than at deploy.
        Check(!layer.Success || s.Region is null || layer.Groups["region"].Value == s.Region,
            $"trigger.secretsExtensionLayerArn is in region '{layer.Groups["region"].Value}' but the stack deploys to '{s.Region}': use the AWS Parameters and Secrets Lambda Extension ARN published for {s.Region}");

        ValidateWorker(s.Worker, s.Temporal, Check);
        CodecServerDeploymentValidator.Validate(s, Check);

        var a = s.Alarms;
        Check(a.DeadLetterQueueDepthThreshold >= 1, "alarms.deadLetterQueueDepthThreshold must be at least 1");
        Check(a.LambdaErrorsThreshold >= 1, "alarms.lambdaErrorsThreshold must be at least 1");
        Check(AlarmPeriods.Contains(a.PeriodMinutes), "alarms.periodMinutes must be one of 1, 5, 10, 15, 30, 60");
        Check(a.TopicArn is null || a.TopicArn.StartsWith("arn:", StringComparison.Ordinal), "alarms.topicArn must be an SNS topic ARN");

        return errors;
    }

    internal static bool IsFargateSize(int cpu, int memoryMiB) =>
        FargateMemory.TryGetValue(cpu, out var memory)
            && memoryMiB >= memory.Min && memoryMiB <= memory.Max && (memoryMiB - memory.Min) % memory.Step == 0;

    private static void ValidateWorker(WorkerSettings w, TemporalSettings temporal, Action<bool, string> check)
    {
        check((w.ImageRepository is null) != (w.ImageUri is null), "worker: set exactly one of imageRepository and imageUri");
        check(!string.IsNullOrWhiteSpace(w.ImageTag), "worker.imageTag is required");
        check(
            FargateMemory.TryGetValue(w.Cpu, out var memory)
                && w.MemoryMiB >= memory.Min && w.MemoryMiB <= memory.Max && (w.MemoryMiB - memory.Min) % memory.Step == 0,
            $"worker: cpu {w.Cpu} with memoryMiB {w.MemoryMiB} is not a Fargate size");
        check(w.DesiredCount >= 0, "worker.desiredCount must not be negative");
        check(w.StopTimeoutSeconds is >= 2 and <= 120, "worker.stopTimeoutSeconds must be 2..120");
        check(LogRetentionDays.Contains(w.LogRetentionDays), $"worker.logRetentionDays {w.LogRetentionDays} is not a CloudWatch Logs retention period");
        if (w.VpcId is not null)
        {
            check(w.AvailabilityZones.Count > 0 && w.PrivateSubnetIds.Count > 0, "worker: an existing vpcId needs availabilityZones and privateSubnetIds");
            check(w.AvailabilityZones.Count == 0 || w.PrivateSubnetIds.Count % w.AvailabilityZones.Count == 0, "worker: privateSubnetIds must be a multiple of availabilityZones (one per zone)");
        }
        else
        {
            check(w.PrivateSubnetIds.Count == 0, "worker: privateSubnetIds need a vpcId");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in WorkerConfiguration.ReservedKeys(temporal))
        {
            seen.Add(key);
        }

        foreach (var (key, secret) in w.Secrets)
        {
            check(seen.Add(key), $"worker.secrets: '{key}' is set by the stack or listed twice");
            check(ConfigurationKeyPattern().IsMatch(key), $"worker.secrets: '{key}' is not a configuration key in Section__Key form");
            check(!string.IsNullOrWhiteSpace(secret.Secret), $"worker.secrets['{key}'].secret is required");
        }

        // The worker refuses to start without its payload key (encryption is on unless switched off),
        // and ECS would only show that as tasks failing one after another.
        var encryption = w.Secrets.Keys.Where(k => k.StartsWith(WorkerConfiguration.EncryptionPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        check(
            encryption.Contains(WorkerConfiguration.EncryptionEnabled, StringComparer.OrdinalIgnoreCase)
                || (encryption.Contains(WorkerConfiguration.EncryptionCurrentKeyId, StringComparer.OrdinalIgnoreCase)
                    && encryption.Any(k => k.StartsWith(WorkerConfiguration.EncryptionKeysPrefix, StringComparison.OrdinalIgnoreCase)
                        || k.StartsWith(WorkerConfiguration.EncryptionKeyFilesPrefix, StringComparison.OrdinalIgnoreCase))),
            $"worker.secrets: the payload encryption key is missing: give {WorkerConfiguration.EncryptionCurrentKeyId} and {WorkerConfiguration.EncryptionKeysPrefix}{{id}} (see docs/encryption.md)");

        foreach (var (key, parameter) in w.Parameters)
        {
            check(seen.Add(key), $"worker.parameters: '{key}' is set by the stack or listed twice");
            check(ConfigurationKeyPattern().IsMatch(key), $"worker.parameters: '{key}' is not a configuration key in Section__Key form");
            check(parameter.StartsWith('/'), $"worker.parameters['{key}'] must be an SSM parameter name starting with '/'");
        }

        foreach (var key in w.Environment.Keys)
        {
            check(seen.Add(key), $"worker.environment: '{key}' is set by the stack or listed twice");
            check(ConfigurationKeyPattern().IsMatch(key), $"worker.environment: '{key}' is not a configuration key in Section__Key form");
            check(
                !WorkerConfiguration.LooksSecret(key),
                $"worker.environment: '{key}' looks like a secret; plain environment values end up in the template, so give it under worker.secrets");
        }
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:lambda:(?<region>[a-z0-9-]+):[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$")]
    private static partial Regex LayerArnPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex EnvironmentNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+:[0-9]{1,5}$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ConfigurationKeyPattern();
}
