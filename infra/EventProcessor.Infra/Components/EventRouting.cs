using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using LambdaFunction = Amazon.CDK.AWS.Events.Targets.LambdaFunction;
using LambdaFunctionProps = Amazon.CDK.AWS.Events.Targets.LambdaFunctionProps;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace EventProcessor.Infra;

/// <summary>The bus (new or the platform's) and one rule per <see cref="RuleGroup"/>, all targeting the trigger.</summary>
internal sealed class EventRouting : Construct
{
    public EventRouting(
        Construct scope,
        string id,
        BusSettings bus,
        IReadOnlyList<RuleGroup> groups,
        IFunction trigger,
        IQueue deadLetterQueue,
        TriggerSettings delivery)
        : base(scope, id)
    {
        Bus = bus.UseExisting
            ? EventBus.FromEventBusName(this, "Bus", bus.Name)
            : new EventBus(this, "Bus", new EventBusProps { EventBusName = bus.Name });

        var rules = new List<Rule>();
        foreach (var group in groups)
        {
            var rule = new Rule(this, $"Rule-{group.Source}-{group.Part}", new RuleProps
            {
                EventBus = Bus,
                Description = $"Routes {group.DetailTypes.Count} detail-types from {group.Source} to the trigger (generated from the event catalog).",
                EventPattern = new EventPattern
                {
                    Source = [group.Source],
                    DetailType = [.. group.DetailTypes],
                },
            });
            rule.AddTarget(new LambdaFunction(trigger, new LambdaFunctionProps
            {
                DeadLetterQueue = deadLetterQueue,
                RetryAttempts = delivery.DeliveryRetryAttempts,
                MaxEventAge = Duration.Seconds(delivery.DeliveryMaxEventAgeSeconds),
            }));
            rules.Add(rule);
        }

        Rules = rules;
    }

    public IEventBus Bus { get; }

    public IReadOnlyList<Rule> Rules { get; }
}
