using System.Collections.Concurrent;
using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Starting;

namespace EventProcessor.LambdaTrigger.Tests.Support;

/// <summary>A starter that records what it was asked to start and answers as told (or delegates to a real one).</summary>
internal sealed class RecordingStarter(Func<ParsedEvent, CancellationToken, Task<WorkflowStartResult>>? answer = null) : IWorkflowStarter
{
    public ConcurrentQueue<ParsedEvent> Calls { get; } = new();

    public static RecordingStarter Succeeding() =>
        new((e, _) => Task.FromResult(new WorkflowStartResult(e.Envelope.Id, e.WorkflowId, "run-" + e.Envelope.Id, Duplicate: false)));

    public static RecordingStarter Around(IWorkflowStarter inner) => new(inner.StartAsync);

    public Task<WorkflowStartResult> StartAsync(ParsedEvent parsedEvent, CancellationToken cancellationToken)
    {
        Calls.Enqueue(parsedEvent);
        return (answer ?? throw new InvalidOperationException("This starter must not be called."))(parsedEvent, cancellationToken);
    }
}
