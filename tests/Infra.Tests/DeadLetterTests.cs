using System.Text.Json.Nodes;

namespace EventProcessor.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class DeadLetterTests(SynthesizedStacks stacks)
{
    private TemplateView Template => stacks.Primary;

    private string DeliveryQueueId =>
        TemplateView.GetAttId(Template.Resources("AWS::Events::Rule")[0].Properties["Targets"]![0]!["DeadLetterConfig"]!["Arn"]);

    private string FailureQueueId =>
        TemplateView.GetAttId(Template.Single("AWS::Lambda::EventInvokeConfig").Properties["DestinationConfig"]!["OnFailure"]!["Destination"]);

    [Fact]
    public void There_are_two_distinct_dead_letter_queues_one_for_delivery_and_one_for_failed_invocations()
    {
        Assert.NotEqual(DeliveryQueueId, FailureQueueId);
        Assert.Equal("AWS::SQS::Queue", Template.TypeOf(DeliveryQueueId));
        Assert.Equal("AWS::SQS::Queue", Template.TypeOf(FailureQueueId));
        Template.Template.ResourceCountIs("AWS::SQS::Queue", 2);
    }

    [Fact]
    public void Every_rule_target_retries_within_bounds_then_parks_the_event_in_the_delivery_queue()
    {
        var trigger = stacks.PrimarySettings.Trigger;
        foreach (var (_, rule) in Template.Resources("AWS::Events::Rule"))
        {
            var target = Assert.Single(rule["Targets"]!.AsArray())!;
            Assert.Equal(DeliveryQueueId, TemplateView.GetAttId(target["DeadLetterConfig"]!["Arn"]));
            Assert.Equal(trigger.DeliveryRetryAttempts, (int)target["RetryPolicy"]!["MaximumRetryAttempts"]!);
            Assert.Equal(trigger.DeliveryMaxEventAgeSeconds, (int)target["RetryPolicy"]!["MaximumEventAgeInSeconds"]!);
        }
    }

    [Fact]
    public void The_trigger_retries_asynchronously_within_a_maximum_event_age_then_sends_to_the_failure_queue()
    {
        var trigger = stacks.PrimarySettings.Trigger;
        var functionId = Template.Single("AWS::Lambda::Function").Id;

        Template.Template.HasResourceProperties("AWS::Lambda::EventInvokeConfig", new Dictionary<string, object>
        {
            ["FunctionName"] = new Dictionary<string, object> { ["Ref"] = functionId },
            ["MaximumRetryAttempts"] = trigger.AsyncRetryAttempts,
            ["MaximumEventAgeInSeconds"] = trigger.AsyncMaxEventAgeSeconds,
            ["DestinationConfig"] = new Dictionary<string, object>
            {
                ["OnFailure"] = new Dictionary<string, object>
                {
                    ["Destination"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { FailureQueueId, "Arn" } },
                },
            },
        });
    }

    [Fact]
    public void EventBridge_may_write_to_the_delivery_queue_only_on_behalf_of_the_rules()
    {
        var ruleIds = Template.Resources("AWS::Events::Rule").Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        var policy = Assert.Single(
            Template.Resources("AWS::SQS::QueuePolicy"),
            p => p.Properties["Queues"]!.AsArray().Any(q => (string?)q?["Ref"] == DeliveryQueueId)).Properties;

        var allows = policy["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).Where(s => (string?)s["Effect"] == "Allow").ToList();
        Assert.All(allows, s =>
        {
            Assert.Equal("events.amazonaws.com", (string?)s["Principal"]!["Service"]);
            Assert.Equal(["sqs:SendMessage"], TemplateView.Actions(s));
            Assert.Equal(DeliveryQueueId, TemplateView.GetAttId(Assert.Single(TemplateView.ResourcesOf(s))));
        });
        Assert.Equal(ruleIds, allows.Select(s => TemplateView.GetAttId(s["Condition"]!["ArnEquals"]!["aws:SourceArn"])).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Both_queues_are_encrypted_refuse_plain_http_and_keep_messages_for_14_days()
    {
        foreach (var id in new[] { DeliveryQueueId, FailureQueueId })
        {
            var queue = Template.Json["Resources"]![id]!["Properties"]!;
            Assert.True((bool)queue["SqsManagedSseEnabled"]!);
            Assert.Equal(14 * 24 * 3600, (int)queue["MessageRetentionPeriod"]!);

            var policy = Assert.Single(
                Template.Resources("AWS::SQS::QueuePolicy"),
                p => p.Properties["Queues"]!.AsArray().Any(q => (string?)q?["Ref"] == id)).Properties;
            Assert.Contains(
                policy["PolicyDocument"]!["Statement"]!.AsArray(),
                s => (string?)s!["Effect"] == "Deny" && (string?)s["Condition"]?["Bool"]?["aws:SecureTransport"] == "false");
        }
    }

    [Fact]
    public void The_trigger_role_may_send_to_its_failure_queue_and_to_no_other_queue()
    {
        var function = Template.Single("AWS::Lambda::Function").Properties;
        var statements = Template.StatementsOf(TemplateView.GetAttId(function["Role"]));

        var sqs = statements.Where(s => TemplateView.Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(sqs);
        Assert.All(sqs, s =>
        {
            Assert.Equal("Allow", (string?)s["Effect"]);
            Assert.Equal(FailureQueueId, TemplateView.GetAttId(Assert.Single(TemplateView.ResourcesOf(s))));
            Assert.All(TemplateView.Actions(s), a => Assert.Contains(a, new[] { "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl" }));
        });

        // Apart from the queue, the trigger may read its secrets (the Temporal API key, the encryption key) and nothing else.
        var others = statements.Except(sqs).ToList();
        var own = new[] { TestSettings.TemporalApiKey.Secret, TestSettings.SecretArn("encryption") };
        Assert.All(others, s =>
        {
            Assert.All(TemplateView.Actions(s), a => Assert.StartsWith("secretsmanager:", a, StringComparison.Ordinal));
            Assert.All(TemplateView.ResourcesOf(s), r => Assert.Contains(TemplateView.Text(r), own));
        });
    }

    [Fact]
    public void The_failure_queue_is_reachable_only_through_the_trigger_role_grant()
    {
        // No queue policy may open the failure queue to a service principal: only the trigger's role writes to it.
        var policy = Assert.Single(
            Template.Resources("AWS::SQS::QueuePolicy"),
            p => p.Properties["Queues"]!.AsArray().Any(q => (string?)q?["Ref"] == FailureQueueId)).Properties;
        Assert.DoesNotContain(policy["PolicyDocument"]!["Statement"]!.AsArray(), s => (string?)s!["Effect"] == "Allow");
    }
}
