namespace EventProcessor.Cli;

/// <summary>The command could not do its work (Temporal unreachable, queue missing...): one line, exit code 1.</summary>
public sealed class CliFailureException : Exception
{
    public CliFailureException(string message)
        : base(message)
    {
    }

    public CliFailureException()
    {
    }

    public CliFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
