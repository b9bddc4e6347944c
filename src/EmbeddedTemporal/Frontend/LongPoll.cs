using EventProcessor.EmbeddedTemporal.Matching;
using EventProcessor.EmbeddedTemporal.State;
using Grpc.Core;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>
/// The long poll both task kinds share: wait for a task until the long-poll timeout (well under
/// the SDK's 70 s deadline), the call's end or server shutdown. A dispatched task can turn out to be
/// stale (its run closed, its attempt timed out), so polling goes on until one can be started.
/// </summary>
internal static class LongPoll
{
    /// <returns>The started task's response, or null to answer the poll empty.</returns>
    public static async Task<TResponse?> TakeAsync<TTask, TResponse>(
        ServerContext server, TaskQueue<TTask> queue, ServerCallContext context, Func<TTask, TResponse?> tryStart)
        where TTask : class
        where TResponse : class
    {
        var deadline = ServerContext.WallNow + server.Options.LongPollTimeout;
        using var cancel = server.LinkToStopping(context.CancellationToken);
        while (!cancel.IsCancellationRequested)
        {
            var remaining = deadline - ServerContext.WallNow;
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            var task = await queue.PollAsync(remaining, cancel.Token).ConfigureAwait(false);
            if (task is null)
            {
                break;
            }

            if (tryStart(task) is { } response)
            {
                return response;
            }
        }

        return null;
    }
}
