namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>One invocation as the Runtime API's <c>next</c> call hands it over.</summary>
public sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? FunctionArn,
    string? TraceId,
    ReadOnlyMemory<byte> Payload);
