using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventProcessor.Activities.Downstream;
using Microsoft.Extensions.Options;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace EventProcessor.Activities.Push;

/// <summary>
/// Publishes frontend events through Pusher Channels. Pusher has no idempotency key, so a replay
/// delivers again; payloads carry absolute state, and a retried batch skips the chunks an earlier
/// attempt recorded as sent. Every message is checked before anything is sent, so a bad one
/// fails the activity without a partial publish.
/// </summary>
public sealed partial class PushActivities(IPusherApi api, IOptions<PusherOptions> options)
{
    /// <summary>Events per <c>batch_events</c> call accepted by multi-tenant clusters.</summary>
    public const int MaxEventsPerBatch = 10;

    /// <summary>Largest <c>data</c> Pusher accepts (10 KB); larger gets 413.</summary>
    public const int MaxDataBytes = 10 * 1024;

    public const int MaxChannelNameLength = 164;

    public const int MaxEventNameLength = 200;

    /// <summary>Publishes one event on one channel. Activity name <c>PushTrigger</c> (plain "Trigger" says nothing in a history).</summary>
    [Activity("PushTrigger")]
    public async Task<PushResult> TriggerAsync(PushMessage message)
    {
        var data = Encode(message);
        await api.TriggerAsync(
            options.Value.AppId,
            new PusherEvent(message.EventName, [message.Channel], data),
            $"trigger of '{message.EventName}' on {message.Channel}",
            Token()).ConfigureAwait(false);
        return new PushResult(EventsSent: 1, Requests: 1);
    }

    /// <summary>
    /// Publishes events in order, in calls of at most <see cref="MaxEventsPerBatch"/>. After each
    /// accepted call it heartbeats the chunks sent, so a retry resumes after them. Activity name <c>PushTriggerBatch</c>.
    /// </summary>
    [Activity("PushTriggerBatch")]
    public async Task<PushResult> TriggerBatchAsync(IReadOnlyList<PushMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var chunks = messages
            .Select(m => new PusherBatchEvent(m.Channel, m.EventName, Encode(m)))
            .Chunk(MaxEventsPerBatch)
            .ToList();
        var alreadySent = await ChunksSentEarlierAsync(messages.Count).ConfigureAwait(false);
        var sent = 0;
        await using var heartbeat = ActivityExecutionContext.HasCurrent
            ? ActivityHeartbeat.Start(ActivityExecutionContext.Current, alreadySent > 0 ? new PushBatchProgress(alreadySent, messages.Count) : null)
            : null;
        for (var index = alreadySent; index < chunks.Count; index++)
        {
            var chunk = chunks[index];
            await api.TriggerBatchAsync(
                options.Value.AppId,
                new PusherBatch(chunk),
                $"batch trigger {index + 1}/{chunks.Count} ({string.Join(", ", chunk.Select(e => e.Name).Distinct())})",
                Token()).ConfigureAwait(false);
            sent += chunk.Length;
            heartbeat?.Report(new PushBatchProgress(index + 1, messages.Count));
        }

        return new PushResult(sent, chunks.Count - alreadySent, messages.Count - sent);
    }

    /// <summary>Validates names and size and returns the JSON-encoded <c>data</c> string.</summary>
    private static string Encode(PushMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Channel) || message.Channel.Length > MaxChannelNameLength || !NamePattern().IsMatch(message.Channel))
        {
            throw Permanent("InvalidRequest",
                $"'{message.Channel}' is not a valid Pusher channel name (1-{MaxChannelNameLength} of letters, digits and _ - = @ , . ;).");
        }

        if (string.IsNullOrEmpty(message.EventName) || message.EventName.Length > MaxEventNameLength || !NamePattern().IsMatch(message.EventName))
        {
            throw Permanent("InvalidRequest",
                $"'{message.EventName}' is not a valid Pusher event name (1-{MaxEventNameLength} of letters, digits and _ - = @ , . ;).");
        }

        if (message.Data.ValueKind == JsonValueKind.Undefined)
        {
            throw Permanent("InvalidRequest", $"The '{message.EventName}' event on {message.Channel} has no data.");
        }

        var data = JsonSerializer.Serialize(message.Data, PusherJson.Options);
        var size = Encoding.UTF8.GetByteCount(data);
        if (size > MaxDataBytes)
        {
            throw Permanent("PayloadTooLarge",
                $"The '{message.EventName}' event on {message.Channel} carries {size} bytes of data; Pusher accepts at most {MaxDataBytes}. "
                + "Send less (e.g. ids the frontend fetches) instead.");
        }

        return data;
    }

    private static async Task<int> ChunksSentEarlierAsync(int events)
    {
        if (!ActivityExecutionContext.HasCurrent || ActivityExecutionContext.Current.Info.HeartbeatDetails.Count == 0)
        {
            return 0;
        }

        var progress = await ActivityExecutionContext.Current.Info.HeartbeatDetailAtAsync<PushBatchProgress>(0).ConfigureAwait(false);
        return progress.Events == events ? progress.ChunksSent : 0;
    }

    private static ApplicationFailureException Permanent(string kind, string message) =>
        DownstreamFailure.Permanent(DownstreamApi.Pusher, kind, message);

    private static CancellationToken Token() =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : default;

    [GeneratedRegex(@"^[A-Za-z0-9_\-=@,.;]+$")]
    private static partial Regex NamePattern();
}
