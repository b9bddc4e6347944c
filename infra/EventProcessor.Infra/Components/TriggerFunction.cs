using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace EventProcessor.Infra;

/// <summary>
/// The trigger Lambda and the two queues where events end up when it cannot take them: one for
/// events EventBridge could not deliver, one for invocations that failed after Lambda's retries.
/// <para>
/// Secrets never reach the function's configuration: it gets <c>{setting}SecretArn</c> (and
/// <c>{setting}SecretJsonKey</c>) references, which the trigger resolves at init through the AWS
/// Parameters and Secrets Lambda Extension layer (docs/trigger.md), and its role may read exactly
/// those secrets.
/// </para>
/// </summary>
internal sealed class TriggerFunction : Construct
{
    /// <param name="encryptionSecrets">The worker's <c>Encryption__*</c> secrets: the trigger must encrypt with the same keys.</param>
    public TriggerFunction(
        Construct scope, string id, TriggerSettings trigger, TemporalSettings temporal, IReadOnlyDictionary<string, SecretReference> encryptionSecrets)
        : base(scope, id)
    {
        var codePath = TriggerCode.Locate(trigger.CodePath);

        DeliveryDeadLetterQueue = DeadLetterQueue("DeliveryDeadLetterQueue");
        FailedInvocationQueue = DeadLetterQueue("FailedInvocationQueue");

        var environment = new Dictionary<string, string>
        {
            [WorkerConfiguration.TemporalAddress] = temporal.Address,
            [WorkerConfiguration.TemporalNamespace] = temporal.Namespace,
            [WorkerConfiguration.TemporalTaskQueue] = temporal.TaskQueue,
            [WorkerConfiguration.TemporalTls] = temporal.Tls ? "true" : "false",
        };

        var secrets = new Dictionary<string, SecretReference>(StringComparer.Ordinal);
        if (temporal.ApiKey is { } apiKey)
        {
            secrets[WorkerConfiguration.TemporalApiKey] = apiKey;
        }

        foreach (var (key, reference) in encryptionSecrets)
        {
            secrets[key] = reference;
        }

        // One construct per distinct secret: the current key id and the keys usually share one.
        var readable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, reference) in secrets.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!readable.ContainsKey(reference.Secret))
            {
                readable[reference.Secret] = PolicyResource(SecretReferences.Resolve(this, $"Secret{readable.Count}", reference), reference);
            }

            // A name is passed as is: the extension looks it up in the function's own account and region.
            environment[key + SecretArnSuffix] = reference.Secret;
            if (reference.JsonKey is not null)
            {
                environment[key + SecretJsonKeySuffix] = reference.JsonKey;
            }
        }

        Function = new Function(this, "Function", new FunctionProps
        {
            Description = "Validates EventBridge events and starts one Temporal workflow per event.",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = Code.FromAsset(codePath),
            MemorySize = trigger.MemorySizeMb,
            Timeout = Duration.Seconds(trigger.TimeoutSeconds),
            ReservedConcurrentExecutions = trigger.ReservedConcurrency,
            Environment = environment,
            Layers = secrets.Count == 0 ? null : [LayerVersion.FromLayerVersionArn(this, "SecretsExtension", trigger.SecretsExtensionLayerArn)],
            LogGroup = new LogGroup(this, "Logs", new LogGroupProps
            {
                Retention = Retention.Days(trigger.LogRetentionDays),
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
            RetryAttempts = trigger.AsyncRetryAttempts,
            MaxEventAge = Duration.Seconds(trigger.AsyncMaxEventAgeSeconds),
            OnFailure = new SqsDestination(FailedInvocationQueue),
        });

        if (readable.Count > 0)
        {
            // Only GetSecretValue: the extension needs nothing else, and CDK's GrantRead would add DescribeSecret.
            Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Effect = Effect.ALLOW,
                Actions = ["secretsmanager:GetSecretValue"],
                Resources = [.. readable.Values],
            }));
        }
    }

    /// <summary>Suffixes of the configuration keys the trigger resolves from Secrets Manager at init (SecretReferenceResolver).</summary>
    public const string SecretArnSuffix = "SecretArn";

    public const string SecretJsonKeySuffix = "SecretJsonKey";

    public Function Function { get; }

    /// <summary>EventBridge's target dead-letter queue: events it could not hand to Lambda.</summary>
    public Queue DeliveryDeadLetterQueue { get; }

    /// <summary>Lambda's on-failure destination: poison events and events Temporal never accepted.</summary>
    public Queue FailedInvocationQueue { get; }

    /// <summary>The ARN as given; for a name, <c>name-??????</c>, the narrowest pattern its random suffix allows.</summary>
    private static string PolicyResource(ISecret secret, SecretReference reference) =>
        reference.IsArn ? reference.Secret : secret.SecretArn + "-??????";

    private Queue DeadLetterQueue(string id) => new(this, id, new QueueProps
    {
        // The longest SQS allows: on-call needs time to inspect and redrive after a weekend.
        RetentionPeriod = Duration.Days(14),
        Encryption = QueueEncryption.SQS_MANAGED,
        EnforceSSL = true,
    });
}

/// <summary>The trigger's publish output, checked before CDK turns a missing folder into an obscure asset error.</summary>
internal static class TriggerCode
{
    public static string Locate(string? codePath)
    {
        var path = SettingsLoader.ResolveCodePath(codePath, Directory.GetCurrentDirectory());
        if (!File.Exists(Path.Combine(path, "bootstrap")))
        {
            throw new InvalidOperationException(
                $"No trigger 'bootstrap' in {path}. Publish it first: dotnet publish src/LambdaTrigger -c Release -r linux-x64 --self-contained -o {SettingsLoader.DefaultTriggerCodePath}, "
                + $"or pass -c {SettingsLoader.TriggerCodePathKey}=<folder>.");
        }

        return path;
    }
}
