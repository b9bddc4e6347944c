using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace EventProcessor.Infra;

/// <summary>
/// Alarms for the ways an event can stop short of Temporal: parked in a dead-letter queue, or
/// lost because the trigger fails or cannot even write to its failure queue.
/// </summary>
internal sealed class OperationalAlarms : Construct
{
    public OperationalAlarms(Construct scope, string id, AlarmSettings settings, TriggerFunction trigger)
        : base(scope, id)
    {
        var period = Duration.Minutes(settings.PeriodMinutes);
        var action = settings.TopicArn is null ? null : new SnsAction(Topic.FromTopicArn(this, "Topic", settings.TopicArn));

        var alarms = new List<Alarm>
        {
            QueueDepth("DeliveryDeadLetterQueueDepth", trigger.DeliveryDeadLetterQueue, "EventBridge could not deliver events to the trigger", settings, period),
            QueueDepth("FailedInvocationQueueDepth", trigger.FailedInvocationQueue, "Events failed in the trigger after Lambda's retries (poison or Temporal unavailable)", settings, period),
            new(this, "TriggerErrors", new AlarmProps
            {
                AlarmDescription = "The trigger is failing invocations (PoisonEvent or TransientError).",
                Metric = trigger.Function.MetricErrors(new MetricOptions { Period = period, Statistic = Stats.SUM }),
                Threshold = settings.LambdaErrorsThreshold,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }),
            // Without this one an event that failed and could not be parked would vanish silently.
            new(this, "TriggerDestinationDeliveryFailures", new AlarmProps
            {
                AlarmDescription = "Lambda could not write failed events to the failure queue: those events are lost.",
                Metric = trigger.Function.Metric("DestinationDeliveryFailures", new MetricOptions { Period = period, Statistic = Stats.SUM }),
                Threshold = 1,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }),
        };

        if (action is not null)
        {
            foreach (var alarm in alarms)
            {
                alarm.AddAlarmAction(action);
                alarm.AddOkAction(action);
            }
        }

        Alarms = alarms;
    }

    public IReadOnlyList<Alarm> Alarms { get; }

    private Alarm QueueDepth(string id, Queue queue, string what, AlarmSettings settings, Duration period) =>
        new(this, id, new AlarmProps
        {
            AlarmDescription = $"{what}; inspect and redrive the queue.",
            Metric = queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = period, Statistic = Stats.MAXIMUM }),
            Threshold = settings.DeadLetterQueueDepthThreshold,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
}
