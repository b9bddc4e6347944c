using EventProcessor.Cli.Aws;
using EventProcessor.Cli.Runs;

namespace EventProcessor.Cli.Events;

/// <summary>
/// Publishes to an EventBridge bus in calls of at most 10 entries; entries the bus failed
/// (FailedEntryCount / Entries[].ErrorCode) are resent, a few rounds, unless their error says
/// resending cannot help. The bus assigns a new event id to each entry, so the trigger starts a
/// new workflow id for it: the envelope's id is not kept (see the runbook).
/// </summary>
internal sealed class BusSink(EventBridgeClient client, string busName, Pacer pacer, TimeSpan resendDelay) : IEventSink
{
    public const int MaxRounds = 5;

    // Errors of the entry itself: the same entry will fail the same way.
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "MalformedDetail", "InvalidArgument", "ValidationException", "AccessDeniedException",
        "NotAuthorizedForSourceException", "NotAuthorizedForDetailTypeException", "ResourceNotFoundException",
    };

    public string Name => $"bus {busName}";

    public async Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<EventItem> events, CancellationToken cancellationToken)
    {
        var results = new SendResult?[events.Count];
        var pending = Enumerable.Range(0, events.Count).ToList();
        var lastError = new string?[events.Count];
        for (var round = 1; round <= MaxRounds && pending.Count > 0; round++)
        {
            if (round > 1 && resendDelay > TimeSpan.Zero)
            {
                await Task.Delay(resendDelay * (1 << (round - 2)), cancellationToken).ConfigureAwait(false);
            }

            var retry = new List<int>();
            foreach (var batch in pending.Chunk(EventBridgeClient.MaxEntriesPerCall))
            {
                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                IReadOnlyList<PutEventsOutcome> outcomes;
                try
                {
                    outcomes = await client.PutEventsAsync([.. batch.Select(i => Entry(events[i]))], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is EventBridgeException or HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    var retryable = e is not EventBridgeException { Retryable: false };
                    foreach (var i in batch)
                    {
                        lastError[i] = e.Message;
                        if (retryable)
                        {
                            retry.Add(i);
                        }
                        else
                        {
                            results[i] = new SendResult(events[i], false, e.Message);
                        }
                    }

                    continue;
                }

                for (var j = 0; j < batch.Length; j++)
                {
                    var i = batch[j];
                    var outcome = outcomes[j];
                    if (outcome.Accepted)
                    {
                        results[i] = new SendResult(events[i], true, round == 1 ? $"put as bus event {outcome.EventId}" : $"put as bus event {outcome.EventId} (attempt {round})");
                    }
                    else if (outcome.ErrorCode is { } code && Permanent.Contains(code))
                    {
                        results[i] = new SendResult(events[i], false, $"{code}: {outcome.ErrorMessage}");
                    }
                    else
                    {
                        lastError[i] = $"{outcome.ErrorCode}: {outcome.ErrorMessage}";
                        retry.Add(i);
                    }
                }
            }

            pending = retry;
        }

        foreach (var i in pending)
        {
            results[i] = new SendResult(events[i], false, $"still failing after {MaxRounds} attempts: {lastError[i]}");
        }

        return [.. results.Select(r => r!)];
    }

    private PutEventsEntry Entry(EventItem item)
    {
        var envelope = item.Parsed!.Envelope;
        return new PutEventsEntry(
            envelope.Source,
            envelope.DetailType,
            envelope.Detail.GetRawText(),
            envelope.Resources,
            envelope.Time.ToUnixTimeSeconds(),
            busName);
    }
}
