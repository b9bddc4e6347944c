namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>What the runtime loop runs for each invocation.</summary>
public interface IInvocationHandler
{
    /// <summary>The JSON response of a successful invocation.</summary>
    Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken);

    /// <summary>How a failure of <see cref="HandleAsync"/> is reported to Lambda.</summary>
    RuntimeError DescribeFailure(Exception exception);
}
