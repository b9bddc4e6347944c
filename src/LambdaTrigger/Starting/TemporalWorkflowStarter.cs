using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Configuration;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.ErrorDetails.V1;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// Starts event workflows on the configured task queue over the process's one connection.
/// Every failure of the start that is not the caller's cancellation becomes a
/// <see cref="WorkflowNotStartedException"/> (retry later): nothing escapes unclassified, so the
/// intake answers 503 and the Lambda reports TransientError rather than an unexpected bug.
/// </summary>
public sealed class TemporalWorkflowStarter : IWorkflowStarter
{
    /// <summary>Where the server puts google.rpc.Status (with the failure's details) on an error answer.</summary>
    private const string StatusDetailsTrailer = "grpc-status-details-bin";

    private const string AlreadyStartedTypeUrl = "type.googleapis.com/temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure";

    private readonly TemporalGrpcConnection connection;
    private readonly StartRequestFactory requests;

    public TemporalWorkflowStarter(TemporalGrpcConnection connection, WorkflowPayloads payloads)
    {
        this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
        requests = new StartRequestFactory(connection.Settings.Namespace, connection.Settings.TaskQueue, payloads);
    }

    public async Task<WorkflowStartResult> StartAsync(ParsedEvent parsedEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsedEvent);
        var eventId = parsedEvent.Envelope.Id;
        var workflowId = parsedEvent.WorkflowId;
        try
        {
            var request = requests.Create(parsedEvent);
            var response = await connection.StartWorkflowExecutionAsync(request, cancellationToken).ConfigureAwait(false);
            return new WorkflowStartResult(eventId, workflowId, response.RunId, Duplicate: !response.Started);
        }
        catch (RpcException e) when (AlreadyStartedRunId(e) is { } runId)
        {
            // RejectDuplicate: the run for this event closed already. Processed once: success.
            return new WorkflowStartResult(eventId, workflowId, runId, Duplicate: true);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the caller's deadline: the caller decides what that means.
            throw e as OperationCanceledException ?? new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable || e.Status.DebugException is HttpRequestException)
        {
            // Refused, unreachable, or no TLS session (e.g. a server certificate the roots do not trust): no call was made.
            var settings = connection.Settings;
            throw new WorkflowNotStartedException(
                $"Workflow '{workflowId}' for event '{eventId}' was not started: could not connect to Temporal at {settings.Address} (namespace {settings.Namespace}): {Describe(e)}", e);
        }
        catch (RpcException e)
        {
            throw new WorkflowNotStartedException(
                $"Workflow '{workflowId}' for event '{eventId}' was not started: Temporal answered {e.StatusCode}: {Describe(e)}", e);
        }
        catch (Exception e)
        {
            throw new WorkflowNotStartedException(
                $"Workflow '{workflowId}' for event '{eventId}' was not started: {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static string Describe(RpcException e) =>
        e.Status.DebugException is { } inner ? $"{e.Status.Detail} ({inner.GetType().Name}: {inner.Message})" : e.Status.Detail;

    /// <summary>
    /// The run id in a WorkflowExecutionAlreadyStartedFailure detail, read from the google.rpc.Status
    /// trailer by hand (code 1, message 2, repeated Any details 3): the descriptor-based Any.Unpack
    /// would pull protobuf reflection into the ahead-of-time build.
    /// </summary>
    private static string? AlreadyStartedRunId(RpcException e)
    {
        if (e.StatusCode != StatusCode.AlreadyExists || e.Trailers.GetValueBytes(StatusDetailsTrailer) is not { } status)
        {
            return null;
        }

        try
        {
            var input = new CodedInputStream(status);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) != 3 || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    input.SkipLastField();
                    continue;
                }

                var detail = Any.Parser.ParseFrom(input.ReadBytes());
                if (detail.TypeUrl == AlreadyStartedTypeUrl)
                {
                    return WorkflowExecutionAlreadyStartedFailure.Parser.ParseFrom(detail.Value).RunId;
                }
            }
        }
        catch (InvalidProtocolBufferException)
        {
            // Not a readable status: treated like any other refusal.
        }

        return null;
    }
}
