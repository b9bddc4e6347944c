using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Configuration;
using Temporalio.Api.ErrorDetails.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>Starts event workflows on the configured task queue through the process's one client.</summary>
public sealed class TemporalWorkflowStarter : IWorkflowStarter
{
    private readonly TemporalClientProvider clients;

    public TemporalWorkflowStarter(TemporalClientProvider clients) =>
        this.clients = clients ?? throw new ArgumentNullException(nameof(clients));

    public async Task<WorkflowStartResult> StartAsync(ParsedEvent parsedEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsedEvent);
        var client = await ConnectAsync(parsedEvent, cancellationToken).ConfigureAwait(false);
        var request = await StartRequestFactory.CreateAsync(parsedEvent, client, clients.Settings.TaskQueue).ConfigureAwait(false);
        try
        {
            var response = await client.WorkflowService.StartWorkflowExecutionAsync(
                request, new RpcOptions { Retry = true, CancellationToken = cancellationToken }).ConfigureAwait(false);
            return new WorkflowStartResult(parsedEvent.Envelope.Id, request.WorkflowId, response.RunId, Duplicate: !response.Started);
        }
        catch (RpcException e) when (AlreadyStartedRunId(e) is { } runId)
        {
            // RejectDuplicate: the run for this event closed already. Processed once: success.
            return new WorkflowStartResult(parsedEvent.Envelope.Id, request.WorkflowId, runId, Duplicate: true);
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the caller's deadline: the caller decides what that means.
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw new WorkflowNotStartedException(
                $"Workflow '{request.WorkflowId}' for event '{parsedEvent.Envelope.Id}' was not started: Temporal answered {e.Code}: {e.Message}", e);
        }
    }

    private async Task<ITemporalClient> ConnectAsync(ParsedEvent parsedEvent, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.GetClientAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new WorkflowNotStartedException(
                $"Workflow '{parsedEvent.WorkflowId}' for event '{parsedEvent.Envelope.Id}' was not started: could not connect to Temporal at {clients.Settings.Address} (namespace {clients.Settings.Namespace}): {e.Message}", e);
        }
    }

    private static string? AlreadyStartedRunId(RpcException e)
    {
        if (e.Code != RpcException.StatusCode.AlreadyExists || e.GrpcStatus.Value is not { } status)
        {
            return null;
        }

        foreach (var detail in status.Details)
        {
            if (detail.TryUnpack(out WorkflowExecutionAlreadyStartedFailure failure))
            {
                return failure.RunId;
            }
        }

        return null;
    }
}
