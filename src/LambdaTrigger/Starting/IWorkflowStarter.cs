using EventProcessor.Events.Validation;

namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>Starts the workflow of one valid event, or finds the run that already handles it.</summary>
public interface IWorkflowStarter
{
    /// <exception cref="WorkflowNotStartedException">Temporal could not be reached or refused the start.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    Task<WorkflowStartResult> StartAsync(ParsedEvent parsedEvent, CancellationToken cancellationToken);
}
