using EventProcessor.Activities.Downstream;
using Refit;

namespace EventProcessor.Activities.Push;

/// <summary>
/// Pusher Channels HTTP API. Requests are signed by <see cref="PusherSigningHandler"/> after
/// serialization, over the exact body bytes. Both calls answer 200 with <c>{}</c> (nothing to read).
/// </summary>
public interface IPusherApi
{
    [Post("/apps/{appId}/events")]
    Task TriggerAsync(
        string appId,
        [Body] PusherEvent body,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);

    /// <summary>At most 10 events per call on multi-tenant clusters.</summary>
    [Post("/apps/{appId}/batch_events")]
    Task TriggerBatchAsync(
        string appId,
        [Body] PusherBatch body,
        [Property(DownstreamRequest.OperationKey)] string operation,
        CancellationToken cancellationToken = default);
}
