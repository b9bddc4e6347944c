using EventProcessor.EmbeddedTemporal.State;
using EventProcessor.EmbeddedTemporal.Timers;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.TestService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>
/// Temporal's TestService (temporal.api.testservice.v1), served only when the server runs with
/// time skipping, as the Java test server serves it (temporal-test-server, <c>TestService</c>):
/// read the clock, lock and unlock skipping (a counter), and sleep on the server's clock. A real
/// server has no TestService and answers UNIMPLEMENTED, which is how a client tells them apart.
/// </summary>
internal sealed class TestServiceHandlers(TimeSkipping skipping)
{
    public Task<GetCurrentTimeResponse> GetCurrentTime(Empty request, ServerCallContext context) =>
        Task.FromResult(new GetCurrentTimeResponse { Time = Timestamp.FromDateTimeOffset(skipping.GetUtcNow()) });

    public Task<LockTimeSkippingResponse> LockTimeSkipping(LockTimeSkippingRequest request, ServerCallContext context)
    {
        skipping.Lock();
        return Task.FromResult(new LockTimeSkippingResponse());
    }

    public Task<UnlockTimeSkippingResponse> UnlockTimeSkipping(UnlockTimeSkippingRequest request, ServerCallContext context)
    {
        if (!skipping.Unlock())
        {
            // The Java server throws "Unbalanced lock and unlock calls" (SelfAdvancingTimerImpl.unlockTimeSkippingLockedInternal).
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "Unbalanced lock and unlock calls: time skipping is not locked."));
        }

        return Task.FromResult(new UnlockTimeSkippingResponse());
    }

    /// <summary>Returns once the server's clock has moved on by the duration (at once if time skips meanwhile).</summary>
    public async Task<SleepResponse> Sleep(SleepRequest request, ServerCallContext context)
    {
        var duration = Duration(request.Duration, "duration");
        await WaitUntilAsync(skipping.GetUtcNow() + duration, relock: false, context.CancellationToken).ConfigureAwait(false);
        return new SleepResponse();
    }

    public async Task<SleepResponse> SleepUntil(SleepUntilRequest request, ServerCallContext context)
    {
        if (request.Timestamp is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "SleepUntilRequest.timestamp is required."));
        }

        await WaitUntilAsync(request.Timestamp.ToDateTimeOffset(), relock: false, context.CancellationToken).ConfigureAwait(false);
        return new SleepResponse();
    }

    /// <summary>
    /// Unlocks skipping, and locks it again when the server's clock has moved on by the duration
    /// (TestService.unlockTimeSkippingWhileSleep in the Java server): the way a test waits out a long
    /// time in an instant. Skipping only happens if this caller held the only lock.
    /// </summary>
    public async Task<SleepResponse> UnlockTimeSkippingWithSleep(SleepRequest request, ServerCallContext context)
    {
        var duration = Duration(request.Duration, "duration");
        await WaitUntilAsync(skipping.GetUtcNow() + duration, relock: true, context.CancellationToken).ConfigureAwait(false);
        return new SleepResponse();
    }

    private async Task WaitUntilAsync(DateTimeOffset until, bool relock, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = skipping.ScheduleAt(until, () =>
        {
            if (relock)
            {
                // Locked by the timer callback itself, before anything else can skip past the deadline.
                skipping.Lock();
            }

            reached.TrySetResult();
        });
        if (relock && !skipping.Unlock())
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "Unbalanced lock and unlock calls: time skipping is not locked."));
        }

        try
        {
            await reached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timer.Dispose();
            if (relock && !reached.Task.IsCompleted)
            {
                // The caller gave up: restore its lock so the counter stays balanced.
                skipping.Lock();
            }

            throw new RpcException(new Status(StatusCode.Cancelled, "Call cancelled."));
        }
    }

    private static TimeSpan Duration(Google.Protobuf.WellKnownTypes.Duration? duration, string field)
    {
        var value = duration?.ToTimeSpan() ?? TimeSpan.Zero;
        if (value < TimeSpan.Zero)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"SleepRequest.{field} must not be negative."));
        }

        return value;
    }
}
