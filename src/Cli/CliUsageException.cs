namespace EventProcessor.Cli;

/// <summary>Arguments that parse but make no sense together; reported as one line, exit code 2, nothing done.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException()
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
