namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// The run an event maps to. <see cref="Duplicate"/> is true when the run already existed (a
/// redelivery): still a success, since the event is being, or has been, processed exactly once.
/// </summary>
public sealed record WorkflowStartResult(string EventId, string WorkflowId, string RunId, bool Duplicate);
