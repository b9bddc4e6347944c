using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SSM;
using Constructs;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace EventProcessor.Infra;

/// <summary>
/// The worker's identities and what they may read. ECS injects secrets and parameters into the
/// container with the execution role, so only that role is granted read, on exactly the configured
/// secret and parameter ARNs; the task role, which the application code runs as, gets nothing:
/// the worker only talks to services outside AWS.
/// </summary>
internal sealed class WorkerAccess : Construct
{
    public WorkerAccess(Construct scope, string id, WorkerSettings worker, TemporalSettings temporal)
        : base(scope, id)
    {
        TaskRole = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "Event processor worker at run time; deliberately without permissions.",
        });
        ExecutionRole = new Role(this, "ExecutionRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "Starts the event processor worker: pulls its image, writes its logs, reads its own secrets.",
        });

        var secrets = new Dictionary<string, EcsSecret>(StringComparer.Ordinal);
        var index = 0;
        if (temporal.ApiKey is { } apiKey)
        {
            secrets[WorkerConfiguration.TemporalApiKey] = FromSecretsManager(apiKey, index++);
        }

        foreach (var (key, reference) in worker.Secrets.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            secrets[key] = FromSecretsManager(reference, index++);
        }

        foreach (var (key, name) in worker.Parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var parameter = StringParameter.FromStringParameterName(this, $"Parameter{index++}", name);
            secrets[key] = EcsSecret.FromSsmParameter(parameter);
        }

        // Granting happens where the container definition consumes these (CDK grants the
        // execution role read on each one's ARN), so no grant here can drift from what is used.
        ContainerSecrets = secrets;
    }

    public Role TaskRole { get; }

    public Role ExecutionRole { get; }

    /// <summary>Configuration key to where ECS reads its value at task start.</summary>
    public IReadOnlyDictionary<string, EcsSecret> ContainerSecrets { get; }

    private EcsSecret FromSecretsManager(SecretReference reference, int index)
    {
        var secret = SecretReferences.Resolve(this, $"Secret{index}", reference);
        return reference.JsonKey is null
            ? EcsSecret.FromSecretsManager(secret)
            : EcsSecret.FromSecretsManager(secret, reference.JsonKey);
    }
}
