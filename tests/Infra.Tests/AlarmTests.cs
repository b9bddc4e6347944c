using System.Text.Json.Nodes;

namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class AlarmTests(SynthesizedStacks stacks)
{
    private IReadOnlyList<(string Id, JsonObject Properties)> Alarms(TemplateView template) => template.Resources("AWS::CloudWatch::Alarm");

    [Fact]
    public void Each_dead_letter_queue_has_a_depth_alarm_that_notifies_the_topic()
    {
        var alarms = stacks.PrimarySettings.Alarms;
        var queueIds = stacks.Primary.Resources("AWS::SQS::Queue").Select(q => q.Id).ToList();
        Assert.Equal(2, queueIds.Count);

        foreach (var queueId in queueIds)
        {
            var alarm = Assert.Single(
                Alarms(stacks.Primary),
                a => (string?)a.Properties["MetricName"] == "ApproximateNumberOfMessagesVisible"
                    && TemplateView.GetAttId(Assert.Single(a.Properties["Dimensions"]!.AsArray())!["Value"], "QueueName") == queueId).Properties;
            Assert.Equal("AWS/SQS", (string?)alarm["Namespace"]);
            Assert.Equal(alarms.DeadLetterQueueDepthThreshold, (int)alarm["Threshold"]!);
            Assert.Equal("GreaterThanOrEqualToThreshold", (string?)alarm["ComparisonOperator"]);
            Assert.Equal(alarms.PeriodMinutes * 60, (int)alarm["Period"]!);
            Assert.Equal([TestSettings.AlarmTopicArn], alarm["AlarmActions"]!.AsArray().Select(n => (string)n!));
        }
    }

    [Fact]
    public void Trigger_errors_raise_an_alarm_at_the_configured_threshold()
    {
        var functionId = stacks.Primary.Single("AWS::Lambda::Function").Id;
        var alarm = Assert.Single(
            Alarms(stacks.Primary),
            a => (string?)a.Properties["MetricName"] == "Errors").Properties;

        Assert.Equal("AWS/Lambda", (string?)alarm["Namespace"]);
        Assert.Equal(functionId, TemplateView.RefId(Assert.Single(alarm["Dimensions"]!.AsArray())!["Value"]));
        Assert.Equal("Sum", (string?)alarm["Statistic"]);
        Assert.Equal(stacks.PrimarySettings.Alarms.LambdaErrorsThreshold, (int)alarm["Threshold"]!);
        Assert.Equal([TestSettings.AlarmTopicArn], alarm["AlarmActions"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void Events_lost_on_the_way_to_the_failure_queue_raise_an_alarm()
    {
        var alarm = Assert.Single(
            Alarms(stacks.Primary),
            a => (string?)a.Properties["MetricName"] == "DestinationDeliveryFailures").Properties;
        Assert.Equal(1, (int)alarm["Threshold"]!);
    }

    [Fact]
    public void Without_a_topic_the_alarms_still_exist_but_notify_nobody()
    {
        var alarms = Alarms(stacks.Existing);
        Assert.Equal(4, alarms.Count);
        Assert.All(alarms, a => Assert.Null(a.Properties["AlarmActions"]));
    }
}
