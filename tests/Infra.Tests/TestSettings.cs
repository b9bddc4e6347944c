namespace EventProcessor.Infra.Tests;

/// <summary>Settings for the synthesized test stacks, with secret names and values a test can recognise.</summary>
internal static class TestSettings
{
    public const string Account = "111122223333";

    /// <summary>
    /// Values a careless stack could pick up (from the environment of the machine synthesizing):
    /// none of them may appear in a template.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FakeSecretValues = new Dictionary<string, string>
    {
        ["Temporal__ApiKey"] = "FAKE-SECRET-VALUE-temporal-7f3a",
        ["Jira__ApiToken"] = "FAKE-SECRET-VALUE-jira-19c2",
        ["Algolia__ApiKey"] = "FAKE-SECRET-VALUE-algolia-5d81",
        ["HubSpot__AccessToken"] = "FAKE-SECRET-VALUE-hubspot-a0e4",
        ["Pusher__Secret"] = "FAKE-SECRET-VALUE-pusher-66b0",
        ["Smtp__Password"] = "FAKE-SECRET-VALUE-smtp-c4d9",
        ["Platform__Token"] = "FAKE-SECRET-VALUE-platform-2b7e",
        ["Encryption__CurrentKeyId"] = "FAKE-SECRET-VALUE-encryption-id-0c4a",
        ["Encryption__Keys__0"] = "FAKE-SECRET-VALUE-encryption-e1f5",
    };

    public static string SecretArn(string name) => $"arn:aws:secretsmanager:eu-west-1:{Account}:secret:fake/event-processor/{name}-AbCdEf";

    public static readonly SecretReference TemporalApiKey = new() { Secret = SecretArn("temporal"), JsonKey = "apiKey" };

    /// <summary>The worker's own secrets: configuration key to secret.</summary>
    public static readonly IReadOnlyDictionary<string, SecretReference> WorkerSecrets = new Dictionary<string, SecretReference>
    {
        ["Jira__ApiToken"] = new() { Secret = SecretArn("jira"), JsonKey = "apiToken" },
        ["Algolia__ApiKey"] = new() { Secret = SecretArn("algolia") },
        ["HubSpot__AccessToken"] = new() { Secret = SecretArn("hubspot") },
        ["Pusher__Secret"] = new() { Secret = SecretArn("pusher") },
        ["Smtp__Password"] = new() { Secret = SecretArn("smtp") },
        ["Platform__Token"] = new() { Secret = SecretArn("platform") },
        ["Encryption__CurrentKeyId"] = new() { Secret = SecretArn("encryption"), JsonKey = "currentKeyId" },
        ["Encryption__Keys__0"] = new() { Secret = SecretArn("encryption"), JsonKey = "0" },
    };

    public static readonly IReadOnlyDictionary<string, string> WorkerParameters = new Dictionary<string, string>
    {
        ["Jira__BaseUrl"] = "/fake/event-processor/jira/base-url",
        ["Smtp__Host"] = "/fake/event-processor/smtp/host",
    };

    /// <summary>Not the default, so a test sees the setting reach the template.</summary>
    public const string SecretsExtensionLayerArn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:4";

    public const string AlarmTopicArn = "arn:aws:sns:eu-west-1:111122223333:fake-on-call";

    /// <summary>A new bus and VPC, secrets by complete ARN, an alarm topic, non-default sizes.</summary>
    public static DeploymentSettings Primary(string codePath) => new()
    {
        EnvironmentName = "test",
        Bus = new() { Name = "test-bus", UseExisting = false },
        Temporal = new()
        {
            Address = "temporal.test.internal:7233",
            Namespace = "test-namespace",
            TaskQueue = "test-queue",
            Tls = true,
            ApiKey = TemporalApiKey,
        },
        Trigger = new()
        {
            CodePath = codePath,
            MemorySizeMb = 768,
            TimeoutSeconds = 45,
            ReservedConcurrency = 20,
            AsyncRetryAttempts = 1,
            AsyncMaxEventAgeSeconds = 7200,
            DeliveryRetryAttempts = 12,
            DeliveryMaxEventAgeSeconds = 10800,
            SecretsExtensionLayerArn = SecretsExtensionLayerArn,
        },
        Worker = new()
        {
            ImageRepository = "event-processor-worker",
            ImageTag = "1.2.3",
            Cpu = 1024,
            MemoryMiB = 3072,
            DesiredCount = 3,
            Secrets = WorkerSecrets,
            Parameters = WorkerParameters,
            Environment = new Dictionary<string, string> { ["Algolia__IndexName"] = "projects_test", ["Smtp__Port"] = "587" },
        },
        Alarms = new() { DeadLetterQueueDepthThreshold = 3, LambdaErrorsThreshold = 7, PeriodMinutes = 15, TopicArn = AlarmTopicArn },
    };

    /// <summary>The platform's bus and VPC, secrets by name, an image from a registry, no API key.</summary>
    public static DeploymentSettings Existing(string codePath) => new()
    {
        EnvironmentName = "shared",
        Bus = new() { Name = "platform-events", UseExisting = true },
        Temporal = new() { Address = "temporal.shared.internal:7233", Namespace = "shared", TaskQueue = "event-processor" },
        Trigger = new() { CodePath = codePath },
        Worker = new()
        {
            ImageUri = "ghcr.io/example/event-processor-worker:1.2.3",
            VpcId = "vpc-0fake",
            AvailabilityZones = ["eu-west-1a", "eu-west-1b"],
            PrivateSubnetIds = ["subnet-0fakea", "subnet-0fakeb"],
            Secrets = new Dictionary<string, SecretReference>
            {
                ["Jira__ApiToken"] = new() { Secret = "fake/shared/jira" },
                ["Encryption__CurrentKeyId"] = new() { Secret = "fake/shared/encryption", JsonKey = "currentKeyId" },
                ["Encryption__Keys__2026_11"] = new() { Secret = "fake/shared/encryption", JsonKey = "2026_11" },
            },
        },
    };
}
