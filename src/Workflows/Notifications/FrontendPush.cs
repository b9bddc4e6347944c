using EventProcessor.Activities.Push;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Notifications;

/// <summary>What a push to the frontend sent.</summary>
public sealed record Pushed(string Channel, string EventName, long Seq);

/// <summary>
/// Pushes one event on a project's channel (<c>project-{uuid}</c>). Pusher has no idempotency key,
/// so payloads carry absolute state and a <c>seq</c>: the event's time in Unix milliseconds, which
/// lets the frontend ignore a late or repeated push instead of moving backwards.
/// </summary>
public static class FrontendPush
{
    /// <summary>Longest free text (a reason, an error) a push carries: Pusher refuses events over 10 KB, and a push must not fail for a long message.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>Free text cut to <see cref="MaxTextLength"/> characters (the full text goes to mails and tickets).</summary>
    public static string? Clip(string? text) =>
        text is null || text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");

    /// <summary>The <c>seq</c> of an event: its time in Unix milliseconds (the same for every retry and redelivery).</summary>
    public static long SeqOf(DateTimeOffset eventTime) => eventTime.ToUnixTimeMilliseconds();

    /// <param name="projectUuid">The project whose channel receives the event.</param>
    /// <param name="eventName">The frontend's event name, e.g. <c>report-run-started</c>.</param>
    /// <param name="seq">The <c>seq</c> the payload carries (see <see cref="SeqOf"/>).</param>
    /// <param name="data">The payload, serialized camelCase; it should include <c>seq</c>.</param>
    /// <param name="about">What the push is about, for the step's summary (e.g. "run run-7").</param>
    public static async Task<Pushed> ToProjectAsync(string projectUuid, string eventName, long seq, object data, string about)
    {
        var message = PushMessage.ForProject(projectUuid, eventName, data);
        await Workflow.ExecuteActivityAsync(
            (PushActivities a) => a.TriggerAsync(message),
            ActivityProfiles.Push($"Push {eventName} for {about}"));
        return new Pushed(message.Channel, eventName, seq);
    }
}
