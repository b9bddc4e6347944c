using Amazon.CDK;
using Constructs;

namespace EventProcessor.Infra;

/// <summary>One environment of the event processor; each concern lives in its own construct.</summary>
internal sealed class EventProcessorStack : Stack
{
    public EventProcessorStack(Construct scope, string id, DeploymentSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        // Before any construct: a bad setting must fail synthesis with a readable message, not
        // half-way through with a CDK error about a token.
        SettingsValidator.ThrowIfInvalid(settings);
        Settings = settings;

        var encryptionSecrets = settings.Worker.Secrets
            .Where(pair => pair.Key.StartsWith(WorkerConfiguration.EncryptionPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        Trigger = new TriggerFunction(this, "Trigger", settings.Trigger, settings.Temporal, encryptionSecrets);
        Routing = new EventRouting(
            this, "Routing", settings.Bus, RulePlan.FromCatalog(), Trigger.Function, Trigger.DeliveryDeadLetterQueue, settings.Trigger);
        WorkerAccess = new WorkerAccess(this, "WorkerAccess", settings.Worker, settings.Temporal);
        Worker = new WorkerService(this, "Worker", settings.Worker, settings.Temporal, WorkerAccess);
        Alarms = new OperationalAlarms(this, "Alarms", settings.Alarms, Trigger);
        Schemas = new EventSchemaRegistry(this, "Schemas", settings.EnvironmentName, Path.Combine(AppContext.BaseDirectory, "schemas"));
        CodecServer = settings.CodecServer is null ? null : new CodecServerService(this, "CodecServer", settings, Worker.Service.Cluster);

        Amazon.CDK.Tags.Of(this).Add("Application", "EventProcessor");
        Amazon.CDK.Tags.Of(this).Add("Environment", settings.EnvironmentName);

        Output("EventBusName", Routing.Bus.EventBusName, "Bus the platform services put events on");
        Output("TriggerFunctionName", Trigger.Function.FunctionName, "Trigger Lambda");
        Output("DeliveryDeadLetterQueueUrl", Trigger.DeliveryDeadLetterQueue.QueueUrl, "Events EventBridge could not deliver");
        Output("FailedInvocationQueueUrl", Trigger.FailedInvocationQueue.QueueUrl, "Events the trigger failed on after retries");
        Output("WorkerServiceName", Worker.Service.ServiceName, "Worker ECS service");
        Output("SchemaRegistryName", Schemas.Registry.AttrRegistryName, "EventBridge schema registry with one schema per detail-type");
        if (CodecServer is not null)
        {
            Output("CodecServerLoadBalancerDnsName", CodecServer.LoadBalancer.LoadBalancerDnsName, "Point the codec server's DNS name (the certificate's) here");
        }
    }

    public DeploymentSettings Settings { get; }

    public TriggerFunction Trigger { get; }

    public EventRouting Routing { get; }

    public WorkerAccess WorkerAccess { get; }

    public WorkerService Worker { get; }

    public OperationalAlarms Alarms { get; }

    public EventSchemaRegistry Schemas { get; }
    /// <summary>The codec server, when the environment configures one.</summary>
    public CodecServerService? CodecServer { get; }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
