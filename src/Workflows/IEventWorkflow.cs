using EventProcessor.Events.Payloads;

namespace EventProcessor.Workflows;

/// <summary>
/// Declares that a workflow class handles the event whose <c>detail</c> is <typeparamref name="TDetail"/>;
/// its <c>[WorkflowRun]</c> method takes <see cref="EventInput{TDetail}"/>. The worker registers
/// every class that declares it (<see cref="EventWorkflows.Types"/>), and
/// <see cref="EventWorkflows.CatalogMismatches()"/> ties each declaration to its catalog entry.
/// </summary>
/// <typeparam name="TDetail">The typed detail record of the catalog entry the workflow handles.</typeparam>
#pragma warning disable CA1040 // A marker: the detail is the declaration, the run method stays the workflow's own.
public interface IEventWorkflow<TDetail>
    where TDetail : IEventDetail;
#pragma warning restore CA1040
