namespace EventProcessor.LambdaTrigger.Starting;

/// <summary>
/// The event is fine but no run was started or found: Temporal is unreachable, too slow for the
/// deadline, or refused. Worth retrying, unlike a poison event.
/// </summary>
public sealed class WorkflowNotStartedException : Exception
{
    public WorkflowNotStartedException()
        : base("The workflow was not started.")
    {
    }

    public WorkflowNotStartedException(string message)
        : base(message)
    {
    }

    public WorkflowNotStartedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
