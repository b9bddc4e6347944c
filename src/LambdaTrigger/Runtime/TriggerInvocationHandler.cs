using System.Text.Json;
using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Starting;

namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>The trigger as a Lambda function: the event is the payload, the answer is the run.</summary>
public sealed class TriggerInvocationHandler : IInvocationHandler
{
    private readonly TriggerHandler handler;

    public TriggerInvocationHandler(TriggerHandler handler) =>
        this.handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public async Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var result = await handler.HandleAsync(invocation.Payload, invocation.Deadline, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(result, RuntimeJsonContext.Default.WorkflowStartResult);
    }

    public RuntimeError DescribeFailure(Exception exception) => exception switch
    {
        // Expected outcomes, not bugs: the message says it all and a stack trace would be noise.
        EventValidationException poison => new RuntimeError(poison.Message, RuntimeError.PoisonEvent),
        WorkflowNotStartedException transient => new RuntimeError(transient.Message, RuntimeError.TransientError),
        _ => RuntimeError.FromUnexpected(exception),
    };
}
