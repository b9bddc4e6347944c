using Amazon.CDK;
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
/// </summary>
internal sealed class TriggerFunction : Construct
{
    public TriggerFunction(Construct scope, string id, TriggerSettings trigger, TemporalSettings temporal)
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

        ISecret? apiKey = null;
        if (temporal.ApiKey is { } reference)
        {
            apiKey = SecretReferences.Resolve(this, "TemporalApiKey", reference);
            environment[WorkerConfiguration.TemporalApiKeySecretArn] = apiKey.SecretArn;
            if (reference.JsonKey is not null)
            {
                environment[WorkerConfiguration.TemporalApiKeySecretJsonKey] = reference.JsonKey;
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
            LogGroup = new LogGroup(this, "Logs", new LogGroupProps
            {
                Retention = Retention.Days(trigger.LogRetentionDays),
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
            RetryAttempts = trigger.AsyncRetryAttempts,
            MaxEventAge = Duration.Seconds(trigger.AsyncMaxEventAgeSeconds),
            OnFailure = new SqsDestination(FailedInvocationQueue),
        });

        apiKey?.GrantRead(Function);
    }

    public Function Function { get; }

    /// <summary>EventBridge's target dead-letter queue: events it could not hand to Lambda.</summary>
    public Queue DeliveryDeadLetterQueue { get; }

    /// <summary>Lambda's on-failure destination: poison events and events Temporal never accepted.</summary>
    public Queue FailedInvocationQueue { get; }

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
