using System.Globalization;
using System.Text;
using EventProcessor.EmbeddedTemporal.State;
using Google.Protobuf;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>GetWorkflowExecutionHistory: paging, long polls for new events, and the close-event filter.</summary>
internal sealed class HistoryHandlers(ServerContext server)
{
    private const int DefaultPageSize = 1000;

    public async Task<GetWorkflowExecutionHistoryResponse> GetWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var execution = Requests.Execution(request.Execution);
        var (runId, nextEventId) = ParseToken(request.NextPageToken);
        var pageSize = request.MaximumPageSize > 0 ? request.MaximumPageSize : DefaultPageSize;
        var closeOnly = request.HistoryEventFilterType == HistoryEventFilterType.CloseEvent;
        var deadline = ServerContext.WallNow + server.Options.LongPollTimeout;
        using var cancel = server.LinkToStopping(context.CancellationToken);

        while (true)
        {
            Task changed;
            lock (ns.Sync)
            {
                var run = ns.FindRun(execution.WorkflowId, runId ?? execution.RunId) ?? throw RpcErrors.WorkflowNotFound();
                var response = new GetWorkflowExecutionHistoryResponse { History = new History() };
                if (closeOnly)
                {
                    if (run.CloseEvent is { } close)
                    {
                        response.History.Events.Add(close);
                        return response;
                    }
                }
                else
                {
                    var events = run.History.Events;
                    if (nextEventId <= events.Count)
                    {
                        var count = (int)Math.Min(pageSize, events.Count - nextEventId + 1);
                        for (var i = 0; i < count; i++)
                        {
                            response.History.Events.Add(events[(int)nextEventId - 1 + i]);
                        }

                        var after = nextEventId + count;
                        if (after <= events.Count || (request.WaitNewEvent && run.IsRunning))
                        {
                            response.NextPageToken = Token(run.RunId, after);
                        }

                        return response;
                    }

                    if (!run.IsRunning || !request.WaitNewEvent)
                    {
                        return response;
                    }
                }

                if (!request.WaitNewEvent)
                {
                    return response;
                }

                var remaining = deadline - ServerContext.WallNow;
                if (remaining <= TimeSpan.Zero || cancel.IsCancellationRequested)
                {
                    // Nothing new before the long poll ends: an empty page whose token polls again.
                    response.NextPageToken = Token(run.RunId, nextEventId);
                    return response;
                }

                runId = run.RunId;
                changed = closeOnly ? run.Closed : run.History.Changed;
            }

            try
            {
                var wait = deadline - ServerContext.WallNow;
                await changed.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancel.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "Call cancelled."));
            }
            catch (OperationCanceledException)
            {
                // The server is stopping: the next pass answers with an empty page.
            }
        }
    }

    private static ByteString Token(string runId, long nextEventId) =>
        ByteString.CopyFromUtf8(string.Create(CultureInfo.InvariantCulture, $"{runId}:{nextEventId}"));

    private static (string? RunId, long NextEventId) ParseToken(ByteString token)
    {
        if (token.IsEmpty)
        {
            return (null, 1);
        }

        var text = Encoding.UTF8.GetString(token.Span);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var next) || next < 1)
        {
            throw RpcErrors.InvalidArgument("Invalid NextPageToken.");
        }

        return (text[..colon], next);
    }
}
