using Amazon.SQS;
using Amazon.SQS.Model;
using EventProcessor.Cli.Runs;
using EventProcessor.Events.Validation;

namespace EventProcessor.Cli.Events;

/// <summary>One dead-lettered message and what became of it.</summary>
public sealed record RedriveOutcome(string MessageId, string? EventId, RedriveOutcomeKind Kind, string Detail);

public enum RedriveOutcomeKind
{
    Redriven,
    WouldRedrive,
    Poison,
    NotAccepted,
}

/// <summary>
/// Empties one of the trigger's dead-letter queues (delivery failures: the event itself; failed
/// invocations: Lambda's record around it): receive, validate, re-send the valid events, and
/// delete a message only once its event was accepted, so a failure at any point leaves the message
/// to be redriven again. Poison messages stay in place and are reported with their errors.
/// </summary>
internal sealed class Redriver(IAmazonSQS sqs, string queueUrl, IEventSink? sink, EventParser parser, Pacer pacer)
{
    /// <summary>Long enough to send and delete a batch; a message not deleted comes back after it.</summary>
    public static readonly int VisibilityTimeoutSeconds = 120;

    public async Task<IReadOnlyList<RedriveOutcome>> RedriveAsync(Action<RedriveOutcome> progress, CancellationToken cancellationToken)
    {
        var outcomes = new List<RedriveOutcome>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var response = await sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 10,
                    WaitTimeSeconds = 1,
                    VisibilityTimeout = VisibilityTimeoutSeconds,
                },
                cancellationToken).ConfigureAwait(false);

            // Messages left in place (poison, not accepted, dry run) come back later: stop at the first receive with nothing new.
            var fresh = (response.Messages ?? []).Where(m => seen.Add(m.MessageId)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            var items = fresh.Select(m => (Message: m, Body: DeadLetterBody.Unwrap(m.Body ?? string.Empty)))
                .Select(x => (x.Message, x.Body, Item: EventFiles.Validate($"message {x.Message.MessageId}", x.Body.EventJson, parser))).ToList();
            foreach (var (message, body, item) in items.Where(x => !x.Item.IsValid))
            {
                var trigger = body.TriggerError is null ? string.Empty : $" (the trigger said {body.TriggerError})";
                Report(new RedriveOutcome(message.MessageId, null, RedriveOutcomeKind.Poison, item.Error + trigger));
            }

            var valid = items.Where(x => x.Item.IsValid).Select(x => (x.Message, x.Item)).ToList();
            if (valid.Count == 0)
            {
                continue;
            }

            if (sink is null)
            {
                foreach (var (message, item) in valid)
                {
                    Report(new RedriveOutcome(message.MessageId, item.Parsed!.Envelope.Id, RedriveOutcomeKind.WouldRedrive, $"valid {item.Parsed.Envelope.DetailType}, would be re-sent"));
                }

                continue;
            }

            var results = await sink.SendAsync([.. valid.Select(v => v.Item)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < valid.Count; i++)
            {
                var (message, item) = valid[i];
                var result = results[i];
                if (!result.Accepted)
                {
                    Report(new RedriveOutcome(message.MessageId, item.Parsed!.Envelope.Id, RedriveOutcomeKind.NotAccepted, $"{result.Detail}; left in the queue"));
                    continue;
                }

                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = message.ReceiptHandle }, cancellationToken).ConfigureAwait(false);
                Report(new RedriveOutcome(message.MessageId, item.Parsed!.Envelope.Id, RedriveOutcomeKind.Redriven, result.Detail));
            }
        }

        return outcomes;

        void Report(RedriveOutcome outcome)
        {
            outcomes.Add(outcome);
            progress(outcome);
        }
    }
}
